import { randomBytes } from 'node:crypto';
import { openStore } from '../../store/index.js';
import { dropSchema } from '../../store/postgres/index.js';
import { runPropensityCases } from './propensity.case.js';

// As in the store's own PostgreSQL tests: a missing server fails the run rather than skipping it.
const SERVER = process.env.MAGPIE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const url = `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=magpie_test_propensity_${randomBytes(4).toString('hex')}`;

runPropensityCases('postgres', () => openStore(url), () => dropSchema(url));
