// The 1,000 benchmark inputs: 500 valid identity_document metadata objects and 500 with 1-3
// realistic errors each, from a seeded PRNG (the same inputs every run).

/** mulberry32: a small deterministic PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['John', 'Amélie', 'Wei', 'Fatima', 'Olusegun', 'María José', 'Søren', 'Aiko', 'Priya', 'Luca'];
const LAST = ['Doe', 'Müller', 'Zhang', 'Haddad', 'Adeyemi', 'García López', 'Nielsen', 'Tanaka', 'Sharma', 'Rossi'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'JP', 'CN', 'IN', 'NG', 'BR', 'CA', 'AU', 'ZW', 'XK', 'AD'];
const DOCS = ['drivers_license', 'id_card', 'passport', 'residence_card', 'special_permanent_residence_card'];
const VERIFIERS = ['example_kyc_provider', 'onfido', 'veriff', 'persona'];

const pad = (n, w = 2) => String(n).padStart(w, '0');

export function makeInputs(seed = 20250415) {
  const rnd = prng(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const int = (min, max) => min + Math.floor(rnd() * (max - min + 1));
  const date = (from, to) => `${int(from, to)}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
  const dateTime = () =>
    `${date(2023, 2025)}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}${pick(['Z', 'Z', '+02:00', '-05:00', '.123Z'])}`;

  const valid = () => {
    const m = {
      verifier: pick(VERIFIERS),
      verified_at: dateTime(),
      identity: {
        full_name: { first_name: pick(FIRST), last_name: pick(LAST) },
        date_of_birth: date(1940, 2005),
      },
      document_type: pick(DOCS),
      document_number: `${pick(['P', 'X', 'D'])}${int(10000000, 99999999)}`,
      issuing_country: pick(COUNTRIES),
    };
    if (rnd() < 0.5) m.identity.full_name.middle_name = pick(FIRST);
    if (rnd() < 0.7) m.nationality = pick(COUNTRIES);
    if (rnd() < 0.6) m.expiration_date = date(2026, 2035);
    if (rnd() < 0.3) m.external_verification_id = `ext-${int(1, 1e6)}`;
    if (rnd() < 0.2) m.verifier_response = { score: int(0, 100), checks: ['document', 'face'] };
    return m;
  };

  // Realistic mistakes an integrator makes.
  const errors = [
    (m) => (m.issuing_country = pick(['XX', 'USA', 'uk', 'United States'])),
    (m) => (m.identity.date_of_birth = pick(['1990-02-30', '1990-13-01', '1991-02-29', '15/01/1990'])),
    (m) => (m.verified_at = pick(['2024-04-15T10:00:00', '2024-04-15', '2024-04-15T25:00:00Z'])),
    (m) => delete m.document_number,
    (m) => delete m.identity.date_of_birth,
    (m) => (m.identity.full_name.first_name = ''),
    (m) => (m.document_type = pick(['passport_card', 'Passport', 'visa'])),
    (m) => (m.dob = m.identity.date_of_birth),
    (m) => (m.document_number = int(1000, 9999)),
    (m) => (m.expiration_date = '2030-04-31'),
    (m) => (m.nationality = 'EUR'),
    (m) => delete m.verifier,
  ];
  const invalid = () => {
    const m = valid();
    const n = int(1, 3);
    const used = new Set();
    while (used.size < n) used.add(int(0, errors.length - 1));
    for (const i of used) errors[i](m);
    return m;
  };

  return {
    valid: Array.from({ length: 500 }, valid),
    invalid: Array.from({ length: 500 }, invalid),
  };
}
