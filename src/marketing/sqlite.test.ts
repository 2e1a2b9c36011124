import { openStore } from '../store/index.js';
import { runMarketingCases } from './marketing.case.js';

runMarketingCases('sqlite (memory)', () => openStore(':memory:'));
