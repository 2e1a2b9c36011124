import { openStore } from '../../store/index.js';
import { runReportCases } from './report.case.js';

runReportCases('sqlite (memory)', () => openStore(':memory:'));
