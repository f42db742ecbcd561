-- A profile is in a segment at most once per refresh.
select segment_id, profile_id, count(*) as copies
from {{ ref('segment_memberships') }}
group by segment_id, profile_id
having count(*) > 1
