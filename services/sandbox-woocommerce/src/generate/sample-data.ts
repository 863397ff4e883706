/** Names, places and product words the generators draw from; invented, any likeness is chance. */

export interface CountryProfile {
  country: string;
  /** Currency a multi-currency shop shows there. */
  currency: string;
  firstNames: readonly string[];
  lastNames: readonly string[];
  streets: readonly string[];
  cities: ReadonlyArray<readonly [city: string, postcode: string]>;
  phonePrefix: string;
}

export const COUNTRIES: readonly CountryProfile[] = [
  {
    country: 'SE',
    currency: 'SEK',
    firstNames: ['Anna', 'Erik', 'Maja', 'Lars', 'Elsa', 'Johan', 'Karin', 'Oskar', 'Ingrid', 'Nils', 'Åsa', 'Björn'],
    lastNames: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Öberg', 'Lindström'],
    streets: ['Storgatan', 'Drottninggatan', 'Kungsgatan', 'Vasagatan', 'Sveavägen', 'Götgatan'],
    cities: [['Stockholm', '111 52'], ['Göteborg', '411 19'], ['Malmö', '211 22'], ['Uppsala', '753 20'], ['Umeå', '903 26']],
    phonePrefix: '+46 70',
  },
  {
    country: 'DE',
    currency: 'EUR',
    firstNames: ['Erika', 'Lukas', 'Sophie', 'Jonas', 'Marie', 'Felix', 'Lena', 'Paul'],
    lastNames: ['Mustermann', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker'],
    streets: ['Heidestraße', 'Hauptstraße', 'Bahnhofstraße', 'Gartenstraße', 'Schillerstraße'],
    cities: [['Köln', '51147'], ['Berlin', '10115'], ['Hamburg', '20095'], ['München', '80331']],
    phonePrefix: '+49 151',
  },
  {
    country: 'FI',
    currency: 'EUR',
    firstNames: ['Aino', 'Eero', 'Helmi', 'Juha', 'Sanna', 'Mikko'],
    lastNames: ['Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Hämäläinen'],
    streets: ['Mannerheimintie', 'Hämeenkatu', 'Aleksanterinkatu'],
    cities: [['Helsinki', '00100'], ['Tampere', '33100'], ['Turku', '20100']],
    phonePrefix: '+358 40',
  },
  {
    country: 'DK',
    currency: 'DKK',
    firstNames: ['Freja', 'Mads', 'Ida', 'Rasmus', 'Sofie'],
    lastNames: ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Sørensen'],
    streets: ['Vesterbrogade', 'Nørregade', 'Østergade'],
    cities: [['København', '1620'], ['Aarhus', '8000'], ['Odense', '5000']],
    phonePrefix: '+45 20',
  },
  {
    country: 'NL',
    currency: 'EUR',
    firstNames: ['Daan', 'Emma', 'Sem', 'Julia', 'Lotte'],
    lastNames: ['de Jong', 'Jansen', 'de Vries', 'van Dijk', 'Bakker'],
    streets: ['Kalverstraat', 'Damrak', 'Coolsingel'],
    cities: [['Amsterdam', '1012 AB'], ['Rotterdam', '3011 AD'], ['Utrecht', '3511 LX']],
    phonePrefix: '+31 6',
  },
  {
    country: 'FR',
    currency: 'EUR',
    firstNames: ['Camille', 'Louis', 'Léa', 'Hugo', 'Chloé'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau'],
    streets: ['Rue de Rivoli', 'Rue Lafayette', 'Avenue Jean Jaurès'],
    cities: [['Paris', '75001'], ['Lyon', '69002'], ['Bordeaux', '33000']],
    phonePrefix: '+33 6',
  },
  {
    country: 'NO',
    currency: 'NOK',
    firstNames: ['Ingrid', 'Jakob', 'Nora', 'Emil', 'Sara'],
    lastNames: ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Berg'],
    streets: ['Karl Johans gate', 'Storgata', 'Bogstadveien'],
    cities: [['Oslo', '0154'], ['Bergen', '5003'], ['Trondheim', '7011']],
    phonePrefix: '+47 9',
  },
  {
    country: 'US',
    currency: 'USD',
    firstNames: ['John', 'Mary', 'James', 'Linda', 'Robert'],
    lastNames: ['Doe', 'Smith', 'Johnson', 'Williams', 'Brown'],
    streets: ['Market Street', 'Main Street', 'Broadway'],
    cities: [['San Francisco', '94103'], ['New York', '10001'], ['Austin', '78701']],
    phonePrefix: '+1 555',
  },
];

/** Where orders ship to, by weight. */
export const COUNTRY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['SE', 45],
  ['DE', 14],
  ['FI', 8],
  ['DK', 7],
  ['NL', 7],
  ['FR', 6],
  ['NO', 8],
  ['US', 5],
];

export const US_STATES = ['CA', 'NY', 'TX'];

/** Value of one unit of each currency in SEK, for converting catalogue prices (fixed, invented rates). */
export const SEK_PER_UNIT: Record<string, number> = { SEK: 1, EUR: 11.5, NOK: 1.0, DKK: 1.54, USD: 10.6, GBP: 13.4 };

export const PRODUCT_KINDS: ReadonlyArray<{ nouns: readonly string[]; taxClass: string; category: number; variable: boolean }> = [
  { nouns: ['T-Shirt', 'Hoodie', 'Sweater', 'Jacket', 'Cap', 'Socks'], taxClass: '', category: 9, variable: true },
  { nouns: ['Tote Bag', 'Wallet', 'Belt', 'Scarf', 'Sunglasses'], taxClass: '', category: 15, variable: true },
  { nouns: ['Mug', 'Candle', 'Cushion', 'Blanket', 'Vase', 'Lamp'], taxClass: '', category: 18, variable: false },
  { nouns: ['Coffee Beans', 'Tea Blend', 'Chocolate Bar', 'Honey Jar', 'Olive Oil'], taxClass: 'reduced-rate', category: 17, variable: false },
  { nouns: ['Cookbook', 'Notebook Novel', 'Travel Guide', 'Poetry Collection'], taxClass: 'super-reduced-rate', category: 16, variable: false },
  { nouns: ['Gift Card'], taxClass: 'zero-rate', category: 15, variable: false },
];

export const ADJECTIVES = ['Organic Cotton', 'Canvas', 'Merino', 'Recycled', 'Classic', 'Nordic', 'Linen', 'Vintage', 'Premium', 'Everyday', 'Handmade', 'Alpine'];

export const SIZES = ['S', 'M', 'L', 'XL'];
export const COLOURS = ['Black', 'White', 'Navy', 'Green', 'Natural', 'Grey'];

export const COMPANY_SUFFIXES: Record<string, string> = { DE: 'GmbH', FI: 'Oy', DK: 'ApS', NL: 'B.V.', FR: 'SARL', SE: 'AB' };
