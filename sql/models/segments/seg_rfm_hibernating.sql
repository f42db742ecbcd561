-- RFM hibernating: bought long ago and rarely (recency and frequency scores 1 or 2).
select profile_id
from {{ ref('rfm_scores') }}
where rfm_segment = 'hibernating'
