import { openStore } from '../store/index.js';
import { runRecImpactCases } from './rec-impact.case.js';

runRecImpactCases('sqlite (memory)', () => openStore(':memory:'));
