-- Identifier pairs the processors saw together (the identity graph's edges), as they landed.
select
  from_type,
  from_value,
  to_type,
  to_value,
  event_id,
  linked_at
from {{ source('lake', 'identity_links') }}
