import { describeMonth } from './month.shared';

describeMonth('stripe');
