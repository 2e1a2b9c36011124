import type { SectionModule } from '../types.js';
import { activitySection } from './activity.js';
import { bayesNetSection } from './bayes-net.js';
import { experimentsSection } from './experiments.js';
import { funnelSection } from './funnel.js';
import { kmeansSection } from './kmeans.js';
import { newReturningSection } from './new-returning.js';
import { ordersSection } from './orders.js';
import { propensitySection } from './propensity.js';
import { recImpactSection } from './rec-impact.js';
import { repeatPurchaseSection } from './repeat-purchase.js';
import { retentionSection } from './retention.js';
import { rfmSection } from './rfm.js';
import { upliftSection } from './uplift.js';
import { userStatesSection } from './user-states.js';

/** Every section of the report, in page order: engagement, buying, customers, recommendations. */
export const SECTIONS: readonly SectionModule<unknown>[] = [
  activitySection,
  newReturningSection,
  retentionSection,
  userStatesSection,
  funnelSection,
  repeatPurchaseSection,
  ordersSection,
  rfmSection,
  kmeansSection,
  bayesNetSection,
  propensitySection,
  upliftSection,
  recImpactSection,
  experimentsSection,
];
