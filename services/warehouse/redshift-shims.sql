-- Redshift functions the models use, defined on PostgreSQL (PGlite and servers) so one SQL runs on both.
-- Every one is `parallel safe`: a query that calls a function not marked so never gets a parallel plan
-- (PostgreSQL checks before it inlines the SQL function), so one json_extract_path_text kept a whole
-- model on one core.
create or replace function getdate() returns timestamp
  language sql stable parallel safe as $$ select (now() at time zone 'UTC')::timestamp(6) $$;

create or replace function nvl(a anycompatible, b anycompatible) returns anycompatible
  language sql immutable parallel safe as $$ select coalesce(a, b) $$;

create or replace function tributary_date_part_name(part text) returns text
  language sql immutable parallel safe as $$
  select case lower(part)
    when 'days' then 'day' when 'd' then 'day' when 'hours' then 'hour' when 'h' then 'hour'
    when 'minutes' then 'minute' when 'm' then 'minute' when 'min' then 'minute'
    when 'seconds' then 'second' when 's' then 'second' when 'sec' then 'second'
    when 'weeks' then 'week' when 'w' then 'week' when 'months' then 'month' when 'mon' then 'month'
    when 'years' then 'year' when 'y' then 'year'
    when 'milliseconds' then 'millisecond' when 'ms' then 'millisecond' else lower(part) end
$$;

-- One unit of a date part. Immutable all the way down, so `dateadd('minute', 30, ts)` with constant part
-- and count is folded to `ts + interval '30 minutes'` at plan time (text || bigint is only stable, so
-- the interval was parsed again on every row before).
create or replace function tributary_date_part_unit(part text) returns interval
  language sql immutable parallel safe as $$
  select case tributary_date_part_name(part)
    when 'millisecond' then interval '1 millisecond' when 'second' then interval '1 second'
    when 'minute' then interval '1 minute' when 'hour' then interval '1 hour'
    when 'day' then interval '1 day' when 'week' then interval '1 week'
    when 'month' then interval '1 month' when 'year' then interval '1 year'
    else ('1 ' || tributary_date_part_name(part))::interval end
$$;

-- dateadd('day', 3, ts): the part is quoted (Redshift accepts both forms; only the quoted one is portable).
create or replace function dateadd(part text, n bigint, ts timestamp) returns timestamp
  language sql immutable parallel safe as $$ select ts + n * tributary_date_part_unit(part) $$;

-- datediff counts the boundaries of `part` crossed between a and b, as Redshift does.
create or replace function datediff(part text, a timestamp, b timestamp) returns bigint
  language sql immutable parallel safe as $$
  select case tributary_date_part_name(part)
    -- One numeric extract of the difference (exactly the difference of the two epochs: a timestamp
    -- difference has no months), not two: fct_sessions computes it for every session.
    when 'millisecond' then floor(extract(epoch from b - a) * 1000)::bigint
    when 'second' then (extract(epoch from date_trunc('second', b)) - extract(epoch from date_trunc('second', a)))::bigint
    when 'minute' then ((extract(epoch from date_trunc('minute', b)) - extract(epoch from date_trunc('minute', a))) / 60)::bigint
    when 'hour' then ((extract(epoch from date_trunc('hour', b)) - extract(epoch from date_trunc('hour', a))) / 3600)::bigint
    when 'day' then (b::date - a::date)::bigint
    when 'week' then ((date_trunc('week', b)::date - date_trunc('week', a)::date) / 7)::bigint
    when 'month' then ((extract(year from b) * 12 + extract(month from b)) - (extract(year from a) * 12 + extract(month from a)))::bigint
    when 'year' then (extract(year from b) - extract(year from a))::bigint
  end
$$;

-- Redshift reads JSON kept in varchar columns; PostgreSQL's own versions take json.
create or replace function json_extract_path_text(doc text, variadic path text[]) returns text
  language sql immutable parallel safe as $$ select json_extract_path_text(doc::json, variadic path) $$;

create or replace function json_extract_array_element_text(doc text, pos integer) returns text
  language sql immutable parallel safe as $$ select (doc::json) ->> pos $$;

create or replace function json_array_length(doc text) returns integer
  language sql immutable parallel safe as $$ select json_array_length(doc::json) $$;

-- sha2(text, 256) as hex, like Redshift's SHA2. Stable, not immutable: convert_to is stable, and
-- PostgreSQL only inlines an immutable SQL function whose body is immutable too; called instead of
-- inlined it cost 2 µs more per identifier (int_identity_profiles hashes every one).
create or replace function sha2(input text, bits integer) returns text
  language sql stable parallel safe as $$ select encode(sha256(convert_to(input, 'UTF8')), 'hex') $$;
