import { openStore } from '../store/index.js';
import { runAnalyticsCases } from './analytics.case.js';

runAnalyticsCases('sqlite (memory)', () => openStore(':memory:'));
