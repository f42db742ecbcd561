-- RFM champions: recent, frequent and big spenders (every score 4 or 5).
select profile_id
from {{ ref('rfm_scores') }}
where rfm_segment = 'champions'
