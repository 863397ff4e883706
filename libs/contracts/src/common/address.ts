import { IsCountryCode, IsText } from '../validation/rules';

/**
 * A postal address as the customer entered it. Absent parts are `null` (a store's `""` becomes `null`),
 * so ERPs never receive blank strings they would print on an invoice.
 */
export class Address {
  @IsText({ nullable: true }) firstName!: string | null;
  @IsText({ nullable: true }) lastName!: string | null;
  @IsText({ nullable: true }) company!: string | null;
  @IsText({ nullable: true }) address1!: string | null;
  @IsText({ nullable: true }) address2!: string | null;
  @IsText({ nullable: true }) city!: string | null;
  /** Region code as the store sends it (`"CA"`); its format differs per country. */
  @IsText({ nullable: true }) state!: string | null;
  @IsText({ nullable: true }) postcode!: string | null;
  /** ISO 3166-1 alpha-2, upper case. Required: ERPs choose VAT treatment from it. */
  @IsCountryCode() country!: string;
  @IsText({ nullable: true }) phone!: string | null;
}

/** How error messages describe an address value. */
export const ADDRESS_EXPECTATION = 'an address object with at least "country"';
