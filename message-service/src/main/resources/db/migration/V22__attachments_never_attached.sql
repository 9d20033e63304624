-- Uploads never attached to a message are removed after UPLOAD_ORPHAN_HOURS (OrphanUploadsJob,
-- docs/operations.md "Attachments"): the job finds them, oldest first, by this partial index, which
-- holds only the rows not attached yet (few: most uploads are attached within seconds).

CREATE INDEX attachments_never_attached ON attachments (created_at) WHERE attached_at IS NULL;
