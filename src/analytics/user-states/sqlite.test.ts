import { openStore } from '../../store/index.js';
import { runUserStateCases } from './user-states.case.js';

runUserStateCases('sqlite (memory)', () => openStore(':memory:'));
