{{ config(materialized='table', dist='identifier_key', sort=['identifier_key']) }}
-- The canonical profile of every identifier. A user id is its own profile's anchor; a group of weak
-- identifiers joins the user id it was linked to first (event time, then event id: the processors'
-- "family tablet" rule); a group linked to no user id is a profile of its own, anchored at its
-- strongest, earliest-seen identifier. The id is the processors' rule: prefix + SHA-256 of the anchor.
-- int_weak_identity_groups is read by each CTE that needs it, not through a shared CTE: PostgreSQL
-- copied the shared one (a million rows) into a work table and merge-joined it after a sort.
with user_links as (
  select
    groups.group_key,
    edges.hub_key as user_key,
    row_number() over (
      partition by groups.group_key
      order by edges.event_timestamp, edges.event_id, edges.hub_key
    ) as link_rank
  from {{ ref('int_identity_edges') }} as edges
  inner join {{ ref('int_weak_identity_groups') }} as groups on groups.identifier_key = edges.spoke_key
  where edges.hub_type = 'user_id'
),

group_owner as (
  select group_key, user_key from user_links where link_rank = 1
),

group_anchor as (
  select
    groups.group_key,
    ids.identifier_key as anchor_key,
    row_number() over (
      partition by groups.group_key
      order by ids.identifier_priority desc, ids.first_seen, ids.identifier_type, ids.identifier_value
    ) as anchor_rank
  from {{ ref('int_weak_identity_groups') }} as groups
  inner join {{ ref('int_identifiers') }} as ids on ids.identifier_key = groups.identifier_key
),

assigned as (
  select identifier_key, identifier_key as anchor_key
  from {{ ref('int_identifiers') }}
  where identifier_type = 'user_id'
  union all
  select
    groups.identifier_key,
    coalesce(group_owner.user_key, group_anchor.anchor_key) as anchor_key
  from {{ ref('int_weak_identity_groups') }} as groups
  left join group_owner on group_owner.group_key = groups.group_key
  inner join group_anchor on group_anchor.group_key = groups.group_key and group_anchor.anchor_rank = 1
),

named as (
  select
    assigned.identifier_key,
    ids.identifier_type,
    ids.identifier_value,
    assigned.anchor_key,
    '{{ var("profile_id_prefix") }}' || substring(sha2(assigned.anchor_key, 256), 1, 24) as profile_id
  from assigned
  inner join {{ ref('int_identifiers') }} as ids on ids.identifier_key = assigned.identifier_key
)

-- profile_number: the profile as a small integer, for the models that sort every event by profile
-- (fct_sessions): comparing integers instead of `prof_...` text (whose first bytes are all alike) made
-- that sort take half the time. One per profile id; the numbers mean nothing across builds.
select
  identifier_key,
  identifier_type,
  identifier_value,
  anchor_key,
  profile_id,
  dense_rank() over (order by profile_id) as profile_number
from named
