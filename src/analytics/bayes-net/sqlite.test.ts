import { openStore } from '../../store/index.js';
import { runEngagementCases } from './engagement.case.js';

runEngagementCases('sqlite (memory)', () => openStore(':memory:'));
