{{ config(materialized='table') }}
-- Every identifier with the time it was first seen (the anchor tie-break after priority).
select
  identifier_key,
  min(identifier_type) as identifier_type,
  min(identifier_value) as identifier_value,
  min(identifier_priority) as identifier_priority,
  min(event_timestamp) as first_seen
from {{ ref('stg_event_identifiers') }}
group by identifier_key
