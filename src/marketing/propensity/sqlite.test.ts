import { openStore } from '../../store/index.js';
import { runPropensityCases } from './propensity.case.js';

runPropensityCases('sqlite (memory)', () => openStore(':memory:'));
