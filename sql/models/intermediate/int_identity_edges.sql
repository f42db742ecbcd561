{{ config(materialized='table') }}
-- The identity graph's links, the way the processors draw them: a star from each event's primary
-- identifier (highest priority, then type name, then value) to each of its other identifiers.
-- stg_event_identifiers is joined to itself directly (no shared CTE: PostgreSQL would copy every
-- identifier into a work table and sort them all): the few identifiers that are not their event's
-- first are hashed, and the primary identifiers look them up.
select
  hub.event_id,
  hub.event_timestamp,
  hub.identifier_type as hub_type,
  hub.identifier_key as hub_key,
  spoke.identifier_type as spoke_type,
  spoke.identifier_key as spoke_key
from {{ ref('stg_event_identifiers') }} as hub
inner join {{ ref('stg_event_identifiers') }} as spoke
  on spoke.event_id = hub.event_id and spoke.rank_in_event > 1
where hub.rank_in_event = 1
