//! The fleet store's schema, owned by sitecheck: created and migrated on first use, in one
//! transaction, under an advisory lock (many imports may start at once on a new database).
//! A version table says which migrations a database has; one newer than this binary is
//! refused rather than misread.

use postgres::Client;

use super::connect::{FleetError, db_error};

/// The schema version this binary writes and reads.
pub const VERSION: i32 = 4;

/// The advisory lock key migrations take (any constant no other lock of ours uses).
const MIGRATION_LOCK: i64 = 0x5173_6368_6b00;

/// Migration `n` (1-based) takes a database from version `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[
    r#"
-- Visits: one row a visit, what the figures and the list need, from the one summariser.
-- The log itself is the events' lines (plus a torn tail, or the raw bytes of a log whose
-- chain does not hold), so every reader rebuilds it byte for byte.
CREATE TABLE visits (
    id                text PRIMARY KEY CHECK (length(id) = 26),
    month             text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
    started_at        text NOT NULL,
    finished_at       text,
    technician        text NOT NULL,
    host              text NOT NULL,
    checklist         text NOT NULL,
    checklist_version text NOT NULL,
    checklist_sha     text NOT NULL,
    status            text NOT NULL,
    result            text,
    score             double precision,
    answered          integer NOT NULL,
    passed            integer NOT NULL,
    failed            integer NOT NULL,
    na                integer NOT NULL,
    missing           integer NOT NULL,
    amendments        integer NOT NULL,
    duration_ms       bigint NOT NULL,
    -- What the figures are computed from: milliseconds between answers (for rushed), one
    -- mark per checklist item (p f n i . -), one per target (1 0 -), the header fields.
    answer_gaps       integer[] NOT NULL,
    marks             text NOT NULL,
    target_marks      text NOT NULL,
    fields            text[] NOT NULL,
    integrity         text NOT NULL CHECK (integrity IN ('ok', 'torn', 'damaged')),
    problem           text,
    lines             integer NOT NULL,
    last_hash         text NOT NULL,
    tail              bytea,
    raw               bytea,
    imported_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visits_technician ON visits (technician, id);
CREATE INDEX visits_checklist ON visits (checklist, id);
CREATE INDEX visits_month ON visits (month, id);

-- Each line of each visit log, exactly as written; insert-only, chained by foreign key.
CREATE TABLE events (
    visit     text NOT NULL REFERENCES visits (id),
    seq       integer NOT NULL CHECK (seq >= 0),
    prev_seq  integer CHECK ((seq = 0 AND prev_seq IS NULL) OR prev_seq = seq - 1),
    prev_hash text CHECK ((prev_seq IS NULL) = (prev_hash IS NULL)),
    hash      text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    line      text NOT NULL,
    PRIMARY KEY (visit, seq),
    UNIQUE (visit, seq, hash),
    FOREIGN KEY (visit, prev_seq, prev_hash) REFERENCES events (visit, seq, hash)
);

-- Review logs: their torn tails (whole lines are in `reviews`).
CREATE TABLE review_logs (
    visit text PRIMARY KEY CHECK (length(visit) = 26),
    tail  bytea
);

-- Each line of each review log, chained the same way.
CREATE TABLE reviews (
    visit     text NOT NULL REFERENCES review_logs (visit),
    seq       integer NOT NULL CHECK (seq >= 0),
    prev_seq  integer CHECK ((seq = 0 AND prev_seq IS NULL) OR prev_seq = seq - 1),
    prev_hash text CHECK ((prev_seq IS NULL) = (prev_hash IS NULL)),
    hash      text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    line      text NOT NULL,
    PRIMARY KEY (visit, seq),
    UNIQUE (visit, seq, hash),
    FOREIGN KEY (visit, prev_seq, prev_hash) REFERENCES reviews (visit, seq, hash)
);

-- Evidence files, named by the sha256 of their bytes (checked on the way in).
CREATE TABLE evidence (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size   bigint NOT NULL,
    bytes  bytea NOT NULL CHECK (length(bytes) = size)
);

-- The import ledger: one chained line per copy of a visit taken, in the file ledger's
-- format, so the same code reads both.
CREATE TABLE imports (
    seq       bigint PRIMARY KEY CHECK (seq >= 0),
    prev_seq  bigint CHECK ((seq = 0 AND prev_seq IS NULL) OR prev_seq = seq - 1),
    prev_hash text CHECK ((prev_seq IS NULL) = (prev_hash IS NULL)),
    hash      text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    visit     text NOT NULL,
    lines     integer NOT NULL,
    last_hash text NOT NULL,
    line      text NOT NULL,
    UNIQUE (seq, hash),
    FOREIGN KEY (prev_seq, prev_hash) REFERENCES imports (seq, hash)
);
CREATE INDEX imports_visit ON imports (visit);

-- Logs that came in different from the one held: recorded once each, never taken.
CREATE TABLE conflicts (
    id        bigserial PRIMARY KEY,
    kind      text NOT NULL,
    visit     text NOT NULL,
    incoming  text NOT NULL,
    source    text NOT NULL,
    reason    text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, visit, incoming)
);

CREATE FUNCTION sitecheck_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sitecheck: % is insert-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;

CREATE TRIGGER events_insert_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION sitecheck_insert_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION sitecheck_insert_only();
CREATE TRIGGER reviews_insert_only BEFORE UPDATE OR DELETE ON reviews
    FOR EACH ROW EXECUTE FUNCTION sitecheck_insert_only();
CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews
    FOR EACH STATEMENT EXECUTE FUNCTION sitecheck_insert_only();
CREATE TRIGGER imports_insert_only BEFORE UPDATE OR DELETE ON imports
    FOR EACH ROW EXECUTE FUNCTION sitecheck_insert_only();
CREATE TRIGGER imports_no_truncate BEFORE TRUNCATE ON imports
    FOR EACH STATEMENT EXECUTE FUNCTION sitecheck_insert_only();
CREATE TRIGGER evidence_insert_only BEFORE UPDATE OR DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION sitecheck_insert_only();
CREATE TRIGGER conflicts_insert_only BEFORE UPDATE OR DELETE ON conflicts
    FOR EACH ROW EXECUTE FUNCTION sitecheck_insert_only();
-- A visit row's summary follows its log as it grows; the visit itself is never removed.
CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits
    FOR EACH ROW EXECUTE FUNCTION sitecheck_insert_only();

-- Open review screens hear of every review written, by anyone.
CREATE FUNCTION sitecheck_review_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sitecheck_reviews', NEW.visit);
    RETURN NULL;
END $$;
CREATE TRIGGER reviews_notify AFTER INSERT ON reviews
    FOR EACH ROW EXECUTE FUNCTION sitecheck_review_written();
"#,
    FIGURES,
    LIST_ORDER,
    ROLLUP,
];

/// Migration 2: what `stats` needs of each visit, kept as visits and reviews are written,
/// so that counting the figures reads columns rather than parsing reviews and walking each
/// visit's answer gaps (SPEC section 8: stats over 1,000,000 visits within a second).
const FIGURES: &str = r#"
-- The median gap between answers (ms; NULL without one), as `percentile_cont` makes it.
CREATE FUNCTION sitecheck_gap_median(gaps integer[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY g) FROM unnest(gaps) g $$;

-- The least sum of `k` consecutive gaps (ms; NULL when there are fewer than `k`): a visit
-- has a burst when it is within the limit.
CREATE FUNCTION sitecheck_least_window(gaps integer[], k integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT min((SELECT sum(g) FROM unnest(gaps[i:i + k - 1]) g))
          FROM generate_series(1, cardinality(gaps) - k + 1) i WHERE k > 0 $$;

-- Kept with the row: the median, and the least window for the default burst of 5 answers
-- (another configured burst falls back to walking the gaps).
ALTER TABLE visits
    ADD COLUMN gap_median_ms double precision
        GENERATED ALWAYS AS (sitecheck_gap_median(answer_gaps)) STORED,
    ADD COLUMN least_window5_ms bigint
        GENERATED ALWAYS AS (sitecheck_least_window(answer_gaps, 5)) STORED;

-- Each visit's latest review: its verdict and the log hash it was given for (NULL when the
-- line is not the JSON a review is: such a log is read as the readers read it).
CREATE TABLE review_latest (
    visit      text PRIMARY KEY,
    seq        integer NOT NULL,
    verdict    text,
    visit_hash text
);

CREATE FUNCTION sitecheck_review_latest() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    body jsonb;
BEGIN
    BEGIN
        body := NEW.line::jsonb;
    EXCEPTION WHEN others THEN
        body := NULL;
    END;
    INSERT INTO review_latest (visit, seq, verdict, visit_hash)
    VALUES (NEW.visit, NEW.seq, body ->> 'verdict', body ->> 'visit_hash')
    ON CONFLICT (visit) DO UPDATE
        SET seq = EXCLUDED.seq, verdict = EXCLUDED.verdict, visit_hash = EXCLUDED.visit_hash
        WHERE review_latest.seq < EXCLUDED.seq;
    RETURN NULL;
END $$;
CREATE TRIGGER reviews_latest AFTER INSERT ON reviews
    FOR EACH ROW EXECUTE FUNCTION sitecheck_review_latest();

-- An older database's reviews.
INSERT INTO review_latest (visit, seq, verdict, visit_hash)
SELECT DISTINCT ON (visit) visit, seq,
       CASE WHEN line ~ '^\s*\{' THEN (line::jsonb) ->> 'verdict' END,
       CASE WHEN line ~ '^\s*\{' THEN (line::jsonb) ->> 'visit_hash' END
FROM reviews ORDER BY visit, seq DESC;

CREATE INDEX visits_started ON visits (started_at);
CREATE INDEX visits_checklist_sha ON visits (checklist_sha);
"#;

/// Migration 3: the review list's orders (`postgres::list`), so that its first page is read
/// from an index rather than by sorting every visit (SPEC section 8: within 100 ms over
/// 1,000,000 visits). Each expression is the list's key, written exactly as it sorts by it;
/// the date is the primary key's order. The rushed and the verdict sorts (thresholds,
/// another table) sort what the filters choose.
const LIST_ORDER: &str = r#"
-- A header field's value (NULL when the visit has none), the first with that key, as
-- `Fields::get` finds it: `fields` holds key, value, key, value ...
CREATE FUNCTION sitecheck_field(fields text[], key text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT fields[i + 1] FROM generate_subscripts(fields, 1) i
          WHERE i % 2 = 1 AND fields[i] = key ORDER BY i LIMIT 1 $$;

CREATE INDEX visits_list_work_order ON visits ((sitecheck_field(fields, 'work_order') IS NOT NULL),
    (coalesce(sitecheck_field(fields, 'work_order'), '') COLLATE "C"), id);
CREATE INDEX visits_list_technician ON visits ((technician COLLATE "C"), id);
CREATE INDEX visits_list_checklist ON visits ((checklist COLLATE "C"), id);
CREATE INDEX visits_list_duration ON visits (duration_ms, id);
CREATE INDEX visits_list_failed ON visits (failed, id);
CREATE INDEX visits_list_score ON visits ((score IS NOT NULL),
    (CASE WHEN score > 0 AND score <> 'NaN'::float8 THEN score ELSE 0 END), id);
CREATE INDEX visits_list_result ON visits ((CASE WHEN status = 'finished' AND result = 'fail' THEN 0
    WHEN status = 'finished' THEN 1 WHEN status = 'open' THEN 2
    WHEN status = 'abandoned' THEN 3 ELSE 4 END), id);
CREATE INDEX visits_list_integrity ON visits
    ((CASE integrity WHEN 'damaged' THEN 0 WHEN 'torn' THEN 1 ELSE 2 END), id);
"#;

/// Migration 4: the figures' counts kept per day (SPEC section 8: `stats` over 1,000,000
/// visits within a second). A cell counts the visits of one day, technician, checklist
/// version, status, trust and verdict; `stats` adds cells rather than visits.
///
/// Writers only note which days changed (`figure_dirty`, insert-only, so concurrent imports
/// never wait on one another's counts); whoever reads the figures next counts those days
/// again (`super::rollup::refresh`), one at a time under a lock.
const ROLLUP: &str = r#"
CREATE TABLE figure_dirty (
    seq bigserial PRIMARY KEY,
    day text NOT NULL
);

CREATE TABLE figure_cells (
    day             text NOT NULL,
    -- The day's ISO week (`2026-W23`), NULL when the day is not a date.
    week            text,
    technician      text NOT NULL,
    checklist       text NOT NULL,
    checklist_sha   text NOT NULL,
    status          text NOT NULL,
    -- Unreadable, or a log that does not verify.
    untrusted       boolean NOT NULL,
    -- The latest verdict ('' without one), and whether the log changed since.
    verdict         text NOT NULL,
    outdated        boolean NOT NULL,
    visits          integer NOT NULL,
    first_id        text NOT NULL,
    newest          text NOT NULL,
    failed_visits   integer NOT NULL,
    -- Rushed by the default thresholds (another config counts the visit rows instead).
    rushed          integer NOT NULL,
    score_sum       double precision NOT NULL,
    scored          integer NOT NULL,
    passed          bigint NOT NULL,
    failed          bigint NOT NULL,
    na              bigint NOT NULL,
    -- Finished, trusted visits only: per item, how many passed, failed, were not
    -- applicable; per target, how many measured it, met it, and the first (by id) measured.
    item_passed     integer[],
    item_failed     integer[],
    item_na         integer[],
    target_measured integer[],
    target_met      integer[],
    target_first    text[]
);
CREATE INDEX figure_cells_day ON figure_cells (day);

-- The counted cells (finished, trusted) of a day, technician and version, whatever their
-- verdict: what `stats` reads when it asks for no verdict (a third as many rows).
CREATE TABLE figure_days (LIKE figure_cells);
ALTER TABLE figure_days DROP COLUMN status, DROP COLUMN untrusted, DROP COLUMN verdict,
    DROP COLUMN outdated;
CREATE INDEX figure_days_day ON figure_days (day);

CREATE INDEX visits_day ON visits (substr(started_at, 1, 10));

CREATE FUNCTION sitecheck_visit_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figure_dirty (day) SELECT DISTINCT substr(started_at, 1, 10) FROM changed;
    RETURN NULL;
END $$;
CREATE TRIGGER visits_added_to_figures AFTER INSERT ON visits
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sitecheck_visit_days_changed();
CREATE TRIGGER visits_changed_in_figures AFTER UPDATE ON visits
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sitecheck_visit_days_changed();

CREATE FUNCTION sitecheck_verdict_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figure_dirty (day)
    SELECT DISTINCT substr(v.started_at, 1, 10) FROM changed c JOIN visits v ON v.id = c.visit;
    RETURN NULL;
END $$;
CREATE TRIGGER verdicts_added_to_figures AFTER INSERT ON review_latest
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sitecheck_verdict_days_changed();
CREATE TRIGGER verdicts_changed_in_figures AFTER UPDATE ON review_latest
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sitecheck_verdict_days_changed();

-- An older database's visits: every day is counted when the figures are next read.
INSERT INTO figure_dirty (day) SELECT DISTINCT substr(started_at, 1, 10) FROM visits;
"#;

/// Brings the database's schema up to this binary's version, or refuses a newer one.
pub fn migrate(client: &mut Client, shown: &str) -> Result<(), FleetError> {
    let fail = |e: postgres::Error| db_error(shown, "cannot set up the schema", &e);
    let mut tx = client.transaction().map_err(fail)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(fail)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS sitecheck_schema (
             version    integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .map_err(fail)?;
    let row = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM sitecheck_schema",
            &[],
        )
        .map_err(fail)?;
    let have: i32 = row.get(0);
    if have > VERSION {
        return Err(FleetError::Newer {
            shown: shown.to_owned(),
            database: have,
            binary: VERSION,
        });
    }
    for (n, sql) in (1..)
        .zip(MIGRATIONS.iter())
        .skip(usize::try_from(have).unwrap_or(0))
    {
        tx.batch_execute(sql).map_err(fail)?;
        tx.execute("INSERT INTO sitecheck_schema (version) VALUES ($1)", &[&n])
            .map_err(fail)?;
    }
    tx.commit().map_err(fail)
}
