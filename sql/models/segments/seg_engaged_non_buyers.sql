-- The seed's "Engaged Non-Buyers": more than 20 page views, no purchase, seen within the last 7 days.
select profile_id
from {{ ref('dim_profiles') }}
where total_page_views > 20 and total_purchases = 0 and days_since_last_visit < 7
