import { openStore } from '../../store/index.js';
import { runCampaignCases } from './campaign.case.js';

runCampaignCases('sqlite (memory)', () => openStore(':memory:'));
