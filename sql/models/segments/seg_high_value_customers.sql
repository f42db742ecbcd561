-- The seed's "High Value Customers": lifetime value over 500 and more than 3 purchases.
select profile_id
from {{ ref('dim_profiles') }}
where lifetime_value > 500 and total_purchases > 3
