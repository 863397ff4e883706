import type { CustomersService } from '../customers/customers.service';
import type { Address } from '../store/woo-records';
import type { HookSink } from '../webhooks/request-hooks';
import type { Prng } from './prng';
import { COUNTRIES, COUNTRY_WEIGHTS, US_STATES, type CountryProfile } from './sample-data';

/** A generated person with an address in one of the sample countries. */
export interface GeneratedPerson {
  profile: CountryProfile;
  first: string;
  last: string;
  email: string;
  address: Address;
}

/** Draws a person; `country` fixes the country, else it follows the order destinations' weights. */
export function generatePerson(random: Prng, country?: string): GeneratedPerson {
  const code = country ?? random.weighted(COUNTRY_WEIGHTS);
  const profile = COUNTRIES.find((c) => c.country === code) ?? COUNTRIES[0];
  const first = random.pick(profile.firstNames);
  const last = random.pick(profile.lastNames);
  const [city, postcode] = random.pick(profile.cities);
  const local = `${ascii(first)}.${ascii(last)}${random.int(1, 9999)}`.toLowerCase();
  const email = `${local}@example.${profile.country === 'US' ? 'com' : profile.country.toLowerCase()}`;
  const address: Address = {
    first_name: first,
    last_name: last,
    company: '',
    address_1: `${random.pick(profile.streets)} ${random.int(1, 120)}`,
    address_2: '',
    city,
    state: profile.country === 'US' ? random.pick(US_STATES) : '',
    postcode,
    country: profile.country,
    email,
    phone: `${profile.phonePrefix} ${random.int(100, 999)} ${random.int(10, 99)} ${random.int(10, 99)}`,
  };
  return { profile, first, last, email, address };
}

/**
 * Makes `person`'s e-mail unique in the store (a drawn `first.last1234` can repeat), deterministically: the first free
 * `local+N@domain`, also written into the address. WooCommerce refuses a second account with the same e-mail.
 */
export function withFreeEmail(customers: Pick<CustomersService, 'findByEmail'>, person: GeneratedPerson): GeneratedPerson {
  if (!customers.findByEmail(person.email)) return person;
  const [local, domain] = person.email.split('@') as [string, string];
  let n = 2;
  while (customers.findByEmail(`${local}+${n}@${domain}`)) n++;
  const email = `${local}+${n}@${domain}`;
  return { ...person, email, address: { ...person.address, email } };
}

/** Registers `n` customers through the customers service (so `customer.created` fires), returning their ids. */
export function generateCustomers(customers: CustomersService, random: Prng, hooks: HookSink, n: number, createdAt: () => Date): number[] {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const person = withFreeEmail(customers, generatePerson(random));
    const { email: _email, ...shipping } = person.address;
    const customer = customers.create({ email: person.email, first_name: person.first, last_name: person.last, billing: person.address, shipping }, hooks, createdAt());
    ids.push(customer.id);
  }
  return ids;
}

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '');
}
