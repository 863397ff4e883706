import { describeMonth } from './month.shared';

describeMonth('adyen');
