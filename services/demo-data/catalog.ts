/** Made-up shop content for generated journeys: products, pages, names (no real person's data). */

export interface Product {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly price: number;
}

export const PRODUCTS: readonly Product[] = [
  { id: 'p-100', sku: 'TS-BLK-M', name: 'Trail Shirt', category: 'apparel', price: 34.9 },
  { id: 'p-101', sku: 'RJ-NVY-L', name: 'Rain Jacket', category: 'apparel', price: 129 },
  { id: 'p-102', sku: 'WS-GRY-42', name: 'Walking Shoes', category: 'shoes', price: 89.95 },
  { id: 'p-103', sku: 'RS-RED-44', name: 'Running Shoes', category: 'shoes', price: 119.5 },
  { id: 'p-104', sku: 'DP-25L', name: 'Day Pack 25L', category: 'bags', price: 64 },
  { id: 'p-105', sku: 'TB-08', name: 'Thermo Bottle', category: 'accessories', price: 24.99 },
  { id: 'p-106', sku: 'HL-300', name: 'Head Lamp', category: 'accessories', price: 39.5 },
  { id: 'p-107', sku: 'TP-2P', name: 'Two-Person Tent', category: 'camping', price: 249 },
  { id: 'p-108', sku: 'SB-M10', name: 'Sleeping Bag', category: 'camping', price: 159.9 },
  { id: 'p-109', sku: 'CS-SET', name: 'Camp Stove Set', category: 'camping', price: 74.25 },
  { id: 'p-110', sku: 'SK-WL-3', name: 'Wool Socks (3 pairs)', category: 'apparel', price: 19.9 },
  { id: 'p-111', sku: 'TP-CF', name: 'Trekking Poles', category: 'accessories', price: 89 },
];

export const CATEGORIES: readonly string[] = [...new Set(PRODUCTS.map((p) => p.category))];

export const SITE = 'https://shop.example.com';

export const CONTENT_PAGES: readonly {
  readonly path: string;
  readonly title: string;
  readonly name: string;
}[] = [
  { path: '/', title: 'Tributary Outdoor', name: 'Home' },
  { path: '/blog/packing-list', title: 'The ultimate packing list', name: 'Blog Post' },
  { path: '/blog/trail-guide', title: 'Ten trails for spring', name: 'Blog Post' },
  { path: '/sale', title: 'Sale', name: 'Sale' },
  { path: '/about', title: 'About us', name: 'About' },
  { path: '/help/returns', title: 'Returns', name: 'Help' },
];

export const CAMPAIGNS: readonly {
  readonly source: string;
  readonly medium: string;
  readonly name: string;
}[] = [
  { source: 'google', medium: 'cpc', name: 'spring-sale' },
  { source: 'newsletter', medium: 'email', name: 'weekly-picks' },
  { source: 'facebook', medium: 'social', name: 'camping-season' },
  { source: 'partner-blog', medium: 'referral', name: 'gear-review' },
];

export const REFERRERS: readonly string[] = [
  'https://www.google.com/',
  'https://duckduckgo.com/',
  'https://www.bing.com/',
  '',
  '',
];

export const FIRST_NAMES: readonly string[] = [
  'Ada',
  'Ben',
  'Chloe',
  'Dmitri',
  'Elif',
  'Farah',
  'Goran',
  'Hana',
  'Ivo',
  'Jun',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zane',
];

export const LAST_NAMES: readonly string[] = [
  'Abara',
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Novak',
  'Okafor',
  'Petrov',
  'Quist',
  'Rossi',
  'Sato',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
];

/** Area codes whose numbers libphonenumber accepts as valid US numbers. */
export const AREA_CODES: readonly string[] = [
  '212',
  '312',
  '415',
  '503',
  '617',
  '646',
  '702',
  '718',
  '805',
  '917',
];

export const WEB_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];
