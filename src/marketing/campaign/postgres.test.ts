import { randomBytes } from 'node:crypto';
import { openStore } from '../../store/index.js';
import { dropSchema } from '../../store/postgres/index.js';
import { runCampaignCases } from './campaign.case.js';

// As in the store's own PostgreSQL tests: a missing server fails the run rather than skipping it.
const SERVER = process.env.MAGPIE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const url = `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=magpie_test_campaign_${randomBytes(4).toString('hex')}`;

runCampaignCases('postgres', () => openStore(url), () => dropSchema(url));
