-- The local lake as PostgreSQL tables (schema `lake`, like Redshift's Spectrum schema of the same name).
-- Identity is flattened into columns so the models read the same column names on both targets.
create schema if not exists lake;

create table if not exists lake.events (
  event_id text not null,
  type text,
  event_name text,
  event_timestamp timestamp,
  received_at timestamp,
  sent_at timestamp,
  original_timestamp timestamp,
  source text,
  identity_user_id text,
  identity_anonymous_id text,
  identity_email text,
  identity_phone text,
  identity_previous_id text,
  identity_external_ids text,
  group_id text,
  name text,
  properties text,
  traits text,
  context text,
  dt text,
  _file text
);

create table if not exists lake.crm_contacts (
  event_id text not null,
  type text,
  event_name text,
  event_timestamp timestamp,
  received_at timestamp,
  source text,
  identity_user_id text,
  identity_anonymous_id text,
  identity_email text,
  identity_phone text,
  identity_external_ids text,
  traits text,
  context text,
  _file text
);

create table if not exists lake.identity_links (
  from_type text,
  from_value text,
  to_type text,
  to_value text,
  event_id text,
  linked_at timestamp,
  dt text,
  _file text
);

create table if not exists lake.identity_merges (
  into_profile_id text,
  from_profile_id text,
  cause_event_id text,
  cause text,
  merged_at timestamp,
  dt text,
  _file text
);

create table if not exists lake.segment_changes (
  segment_id text,
  profile_id text,
  change text,
  changed_at timestamp,
  origin text,
  change_id text,
  dt text,
  _file text
);

-- change_id came later: a warehouse created before it gets the column here.
alter table lake.segment_changes add column if not exists change_id text;

create table if not exists lake._loaded_files (
  table_name text not null,
  file_path text not null,
  size_bytes bigint not null,
  modified_ms bigint not null,
  row_count bigint not null,
  loaded_at timestamp not null,
  primary key (table_name, file_path)
);
