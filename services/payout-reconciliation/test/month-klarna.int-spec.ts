import { describeMonth } from './month.shared';

describeMonth('klarna');
