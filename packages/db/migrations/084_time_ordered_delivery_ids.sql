-- Delivery ids in the order they are made (the UUID version 7 layout: 48 bits of Unix
-- milliseconds, the version, then 74 random bits) instead of gen_random_uuid(). A million random
-- ids a day landed all over deliveries_pkey, deliveries_unfinished (id) and delivery_papers'
-- primary key (delivery_id, …), so each insert dirtied a random leaf page of indexes far larger
-- than shared_buffers; time-ordered ids go to the right-hand edge of each.
-- The random bits come from random(), not from gen_random_uuid()'s strong source, which costs
-- ~4 µs a call here (4 s of a million-reader plan): a delivery id is no secret (it is in every
-- digest's Message-ID, and VERP addresses carry it under a MAC), it only has to be unique, and the
-- primary key checks that. Ids already stored keep their values.
-- Postgres 15 has no uuidv7(). Multipliers stop one short of the next power of 16, so rounding
-- never adds a digit.
CREATE FUNCTION paperboy_uuid_v7() RETURNS uuid
  LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
          || '7' || lpad(to_hex((random() * 4095)::int), 3, '0')
          || to_hex(8 + (random() * 3)::int) || lpad(to_hex((random() * 4095)::int), 3, '0')
          || lpad(to_hex((random() * 281474976710655)::bigint), 12, '0'))::uuid
$$;
ALTER TABLE deliveries ALTER COLUMN id SET DEFAULT paperboy_uuid_v7();
