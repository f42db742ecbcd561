-- Profile merges the processors made, with the event that caused them.
select
  into_profile_id,
  from_profile_id,
  cause_event_id,
  cause,
  merged_at
from {{ source('lake', 'identity_merges') }}
where into_profile_id is not null and from_profile_id is not null
