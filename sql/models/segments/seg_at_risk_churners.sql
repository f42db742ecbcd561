-- The seed's "At Risk of Churning": bought before, no visit for more than 30 days.
select profile_id
from {{ ref('dim_profiles') }}
where days_since_last_visit > 30 and total_purchases > 0
