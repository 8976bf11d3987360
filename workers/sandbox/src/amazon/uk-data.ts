// The raw material of the sandbox's UK demo orders: names, places, products. Invented people at
// real UK towns with postcodes in the right districts; phone numbers from Ofcom's drama range.

export const FIRST_NAMES = [
  "Oliver",
  "Amelia",
  "George",
  "Isla",
  "Harry",
  "Ava",
  "Jack",
  "Mia",
  "Noah",
  "Olivia",
  "Charlie",
  "Grace",
  "Thomas",
  "Freya",
  "James",
  "Lily",
  "William",
  "Emily",
  "Arthur",
  "Sophie",
  "Rhys",
  "Ffion",
  "Callum",
  "Eilidh",
  "Siobhan",
  "Priya",
  "Mohammed",
  "Aisha",
  "Tomasz",
  "Chloe",
  "Daniel",
  "Hannah",
];

export const SURNAMES = [
  "Smith",
  "Jones",
  "Williams",
  "Taylor",
  "Brown",
  "Davies",
  "Evans",
  "Wilson",
  "Thomas",
  "Roberts",
  "Johnson",
  "Lewis",
  "Walker",
  "Robinson",
  "Wood",
  "Thompson",
  "Wright",
  "Hughes",
  "Edwards",
  "Green",
  "Patel",
  "Khan",
  "MacDonald",
  "Campbell",
  "O'Neill",
  "Murphy",
  "Kowalski",
  "Hall",
  "Clarke",
  "Jackson",
];

export const STREETS = [
  "High Street",
  "Station Road",
  "Church Lane",
  "Victoria Road",
  "Mill Lane",
  "Park Avenue",
  "The Crescent",
  "Queens Road",
  "Kings Road",
  "New Street",
  "Manor Way",
  "Orchard Close",
  "Meadow View",
  "Castle Street",
  "School Lane",
  "Green Lane",
  "North Street",
  "Chapel Row",
  "Riverside Walk",
  "Elm Grove",
];

export interface UkTown {
  city: string;
  county: string;
  /** Outward codes of real postcode districts in that town. */
  outward: string[];
}

export const TOWNS: UkTown[] = [
  { city: "London", county: "Greater London", outward: ["N1", "E14", "SE15", "SW11", "NW3", "W5"] },
  { city: "Manchester", county: "Greater Manchester", outward: ["M1", "M14", "M20"] },
  { city: "Birmingham", county: "West Midlands", outward: ["B3", "B13", "B29"] },
  { city: "Leeds", county: "West Yorkshire", outward: ["LS1", "LS6", "LS17"] },
  { city: "Bristol", county: "Bristol", outward: ["BS1", "BS6", "BS16"] },
  { city: "Nottingham", county: "Nottinghamshire", outward: ["NG1", "NG7"] },
  { city: "Cardiff", county: "South Glamorgan", outward: ["CF10", "CF14", "CF24"] },
  { city: "Edinburgh", county: "City of Edinburgh", outward: ["EH1", "EH6", "EH10"] },
  { city: "Glasgow", county: "Glasgow City", outward: ["G2", "G12", "G41"] },
  { city: "Inverness", county: "Highland", outward: ["IV2", "IV3"] },
  { city: "Belfast", county: "County Antrim", outward: ["BT1", "BT7", "BT9"] },
  { city: "York", county: "North Yorkshire", outward: ["YO1", "YO24"] },
  { city: "Oxford", county: "Oxfordshire", outward: ["OX1", "OX4"] },
  { city: "Cambridge", county: "Cambridgeshire", outward: ["CB1", "CB2"] },
  { city: "Plymouth", county: "Devon", outward: ["PL1", "PL4"] },
  { city: "Truro", county: "Cornwall", outward: ["TR1"] },
  { city: "Norwich", county: "Norfolk", outward: ["NR1", "NR2"] },
  { city: "Newcastle upon Tyne", county: "Tyne and Wear", outward: ["NE1", "NE6"] },
  { city: "Brighton", county: "East Sussex", outward: ["BN1", "BN2"] },
  { city: "Swansea", county: "West Glamorgan", outward: ["SA1", "SA2"] },
];

/** Letters Royal Mail uses in the inward code (no C, I, K, M, O, V). */
export const INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

export interface Product {
  sku: string;
  asin: string;
  title: string;
  price: string;
}

export const PRODUCTS: Product[] = [
  { sku: "MUG-ENAMEL-WHT", asin: "B0C4XJ2M1Q", title: "Enamel Camping Mug, 350 ml, White", price: "9.99" },
  { sku: "TEA-TOWEL-3PK", asin: "B0B7T3K9ZP", title: "Cotton Tea Towels, Pack of 3, Sage", price: "12.50" },
  { sku: "CANDLE-FIG-200", asin: "B09Q2W8RLD", title: "Fig & Cedar Soy Candle, 200 g", price: "16.00" },
  { sku: "NOTEBOOK-A5-DOT", asin: "B08L5VNN2S", title: "A5 Dotted Notebook, Hardback, Navy", price: "8.95" },
  {
    sku: "PHONE-CASE-IP15",
    asin: "B0CHX4QKTM",
    title: "Leather Phone Case for iPhone 15, Tan",
    price: "24.99",
  },
  { sku: "USB-C-CABLE-2M", asin: "B0BZ1QF7KD", title: "Braided USB-C Cable, 2 m", price: "7.49" },
  { sku: "DOG-LEAD-RED", asin: "B07ZPKN3RH", title: "Reflective Dog Lead, 1.5 m, Red", price: "11.99" },
  {
    sku: "BIRD-FEEDER-HNG",
    asin: "B09H2LMV8X",
    title: "Hanging Bird Feeder, Squirrel-Proof",
    price: "19.95",
  },
  { sku: "JIGSAW-1000-CST", asin: "B0B5SZ9QG1", title: "1000-Piece Jigsaw: Cornish Coast", price: "14.99" },
  {
    sku: "SOCKS-WOOL-3PK",
    asin: "B0BJ7VVZ2H",
    title: "Merino Walking Socks, 3 Pairs, Size 7-11",
    price: "18.00",
  },
  { sku: "LED-BULB-E27-4", asin: "B08F2JQW1K", title: "LED Bulbs E27 Warm White, Pack of 4", price: "10.99" },
  { sku: "YOGA-MAT-6MM", asin: "B07WGQTR6P", title: "Yoga Mat 6 mm, Non-Slip, Purple", price: "22.49" },
  { sku: "KNIFE-SHARP-2ST", asin: "B0711N3P3Q", title: "Two-Stage Knife Sharpener", price: "6.99" },
  { sku: "PLANT-POT-15CM", asin: "B0BSQ4HM7R", title: "Ceramic Plant Pot 15 cm, Terracotta", price: "13.25" },
  { sku: "BOOK-LIGHT-RCH", asin: "B09MZL9FZJ", title: "Rechargeable Clip-On Book Light", price: "9.49" },
  { sku: "KETTLE-DESCALE", asin: "B0C1ZQ7W4N", title: "Kettle Descaler Tablets, 12 Pack", price: "4.99" },
  { sku: "BAKE-TIN-20CM", asin: "B01N9KQJ5X", title: "Loose-Base Cake Tin, 20 cm", price: "11.50" },
  { sku: "HEADPHONES-BT", asin: "B0CF4QJZ7C", title: "Wireless Over-Ear Headphones, Black", price: "49.99" },
];
