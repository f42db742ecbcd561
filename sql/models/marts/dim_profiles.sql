{{ config(materialized='table', dist='profile_id', sort=['profile_id']) }}
-- One row per profile: identifiers, traits (last write wins by event time), first and last seen,
-- counters and lifetime value; the same figures the processors keep in the Profile API.
with traited_events as (
  -- Only events that carry traits are parsed: most carry none (`{}`, which sets no trait).
  select profile_id, event_timestamp, event_id, traits
  from {{ ref('int_profile_events') }}
  where traits is not null and traits <> '{}'
),

-- A trait is parsed only from the events whose JSON can hold it: its key in quotes, or an escape
-- (chr(92), a backslash) that could spell the key otherwise. Without either the key is not there, and the
-- parse would only answer NULL.
trait_values as (
  select profile_id, event_timestamp, event_id, 'name' as trait, nullif(json_extract_path_text(traits, 'name'), '') as value
  from traited_events where position('"name"' in traits) > 0 or position(chr(92) in traits) > 0
  union all
  select profile_id, event_timestamp, event_id, 'first_name', nullif(json_extract_path_text(traits, 'first_name'), '')
  from traited_events where position('"first_name"' in traits) > 0 or position(chr(92) in traits) > 0
  union all
  select profile_id, event_timestamp, event_id, 'last_name', nullif(json_extract_path_text(traits, 'last_name'), '')
  from traited_events where position('"last_name"' in traits) > 0 or position(chr(92) in traits) > 0
  union all
  select profile_id, event_timestamp, event_id, 'email', nullif(json_extract_path_text(traits, 'email'), '')
  from traited_events where position('"email"' in traits) > 0 or position(chr(92) in traits) > 0
  union all
  select profile_id, event_timestamp, event_id, 'plan', nullif(json_extract_path_text(traits, 'plan'), '')
  from traited_events where position('"plan"' in traits) > 0 or position(chr(92) in traits) > 0
  union all
  select profile_id, event_timestamp, event_id, 'company', nullif(json_extract_path_text(traits, 'company'), '')
  from traited_events where position('"company"' in traits) > 0 or position(chr(92) in traits) > 0
),

latest_traits as (
  select
    profile_id,
    trait,
    value,
    row_number() over (partition by profile_id, trait order by event_timestamp desc, event_id desc) as recency_rank
  from trait_values
  where value is not null
),

traits as (
  select
    profile_id,
    max(case when trait = 'name' then value end) as name,
    max(case when trait = 'first_name' then value end) as first_name,
    max(case when trait = 'last_name' then value end) as last_name,
    max(case when trait = 'email' then value end) as trait_email,
    max(case when trait = 'plan' then value end) as plan,
    max(case when trait = 'company' then value end) as company
  from latest_traits
  where recency_rank = 1
  group by profile_id
),

identifiers as (
  select
    profile_id,
    max(case when identifier_type = 'user_id' then identifier_value end) as user_id,
    min(case when identifier_type = 'email' then identifier_value end) as email,
    count(*) as identifier_count
  from {{ ref('int_identity_profiles') }}
  group by profile_id
),

counters as (
  select
    profile_id,
    min(event_timestamp) as first_seen,
    max(event_timestamp) as last_seen,
    count(*) as total_events,
    sum(case when event_kind = 'page_view' then 1 else 0 end) as total_page_views,
    sum(case when event_kind = 'purchase' then 1 else 0 end) as total_purchases,
    min(case when event_kind = 'signup' then event_timestamp end) as signed_up_at,
    max(case when event_kind = 'purchase' then event_timestamp end) as last_purchase_at
  from {{ ref('int_profile_events') }}
  group by profile_id
),

-- Lifetime value from the purchases only: a decimal sum beside the counters kept its large state for
-- every profile (more than half the hash table; at a million profiles it spilled to disk).
purchases as (
  select profile_id, sum(amount) as lifetime_value
  from {{ ref('int_profile_events') }}
  where event_kind = 'purchase'
  group by profile_id
),

sessions as (
  select profile_id, count(*) as session_count, sum(duration_ms) as session_duration_ms
  from {{ ref('fct_sessions') }}
  group by profile_id
)

select
  counters.profile_id,
  identifiers.user_id,
  coalesce(identifiers.email, traits.trait_email) as email,
  identifiers.identifier_count,
  traits.name,
  traits.first_name,
  traits.last_name,
  traits.plan,
  traits.company,
  counters.first_seen,
  counters.last_seen,
  counters.total_events,
  counters.total_page_views,
  counters.total_purchases,
  coalesce(purchases.lifetime_value, 0) as lifetime_value,
  counters.signed_up_at,
  counters.last_purchase_at,
  coalesce(sessions.session_count, 0) as session_count,
  coalesce(sessions.session_duration_ms, 0) as session_duration_ms,
  floor(datediff('second', counters.last_seen, cast({{ var('as_of') }} as timestamp)) / 86400.0) as days_since_last_visit
from counters
inner join identifiers on identifiers.profile_id = counters.profile_id
left join traits on traits.profile_id = counters.profile_id
left join sessions on sessions.profile_id = counters.profile_id
left join purchases on purchases.profile_id = counters.profile_id
