-- Schema version 1 of the Rapportsök store. Later versions are migrations in index/store.py.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,          -- absolute, resolved path of the source file
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    date TEXT,                          -- ISO prefix
    page_count INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,               -- 'ok' or 'failed'
    error TEXT,                         -- Swedish reason when failed
    text TEXT NOT NULL DEFAULT '',      -- cleaned document text (chunk offsets point here)
    ingested_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,             -- also the FAISS vector id
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);

CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,             -- offsets into chunks.text
    "end" INTEGER NOT NULL,
    value_num REAL,                     -- AMOUNT (kronor) and PERCENT
    value_text TEXT,                    -- DATE (ISO prefix) and DIVISION (canonical name)
    period_start TEXT,
    period_end TEXT
);
CREATE INDEX IF NOT EXISTS entities_chunk ON entities(chunk_id);
CREATE INDEX IF NOT EXISTS entities_label ON entities(label, value_text);

CREATE TABLE IF NOT EXISTS figures (
    id INTEGER PRIMARY KEY,
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- AMOUNT or PERCENT
    value REAL NOT NULL,
    unit TEXT NOT NULL,                 -- 'kr' or '%'
    text TEXT NOT NULL,
    sentence TEXT NOT NULL,
    start INTEGER NOT NULL,             -- offsets into sentence
    "end" INTEGER NOT NULL,
    period TEXT,
    division TEXT,
    cue TEXT,
    page INTEGER,
    section TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS figures_chunk ON figures(chunk_id);
CREATE INDEX IF NOT EXISTS figures_period ON figures(period);
