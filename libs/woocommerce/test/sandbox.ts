// The WooCommerce sandbox runs in-process (STYLE.md §7); lint allows sandbox imports in test files only.
import { startWooSandbox, type WooSandbox } from '@ledgerline/sandbox-woocommerce';

export { startWooSandbox, type WooSandbox };
