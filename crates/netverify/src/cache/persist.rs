//! The last good catalogue on disk: read when a cache is built, written
//! atomically after each good refresh.

use std::io::Write as _;
use std::path::Path;

use netverify_api::Operation;

use crate::catalogue::Catalogue;

/// The persisted catalogue; `None`, with a warning unless the file is simply
/// missing, when it cannot be used.
pub(super) fn load(path: &Path, operation: Operation) -> Option<Catalogue> {
    let warn = |problem: &str| {
        tracing::warn!(
            list = operation.operation_id(),
            path = %path.display(),
            problem,
            "ignoring the persisted catalogue; it will be replaced by the next good one"
        );
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => {
            warn(&format!("cannot read it: {error}"));
            return None;
        }
    };
    match Catalogue::from_json(&bytes) {
        Ok(catalogue) if !operation.list_keys().contains(&catalogue.list_key()) => {
            warn(&format!(
                "it holds `{}`, and this cache is for {operation}",
                catalogue.list_key().as_str()
            ));
            None
        }
        Ok(catalogue) => Some(catalogue),
        Err(error) => {
            warn(&format!("it does not decode: {error}"));
            None
        }
    }
}

/// Writes `catalogue` to `path` so that the file is, at every moment, the old
/// content or the new one (tempfile's `persist`: a temporary file beside the
/// target, synced, renamed over it, then the directory synced). The bytes are checked to load back equal
/// before anything is renamed.
pub(super) fn save(path: &Path, catalogue: &Catalogue) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(catalogue).map_err(std::io::Error::other)?;
    if Catalogue::from_json(&bytes).ok().as_ref() != Some(catalogue) {
        return Err(std::io::Error::other(
            "the serialized catalogue does not load back equal; not written",
        ));
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(directory)?;
    file.write_all(&bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    // The rename is durable once the directory is synced (Unix; elsewhere a
    // directory cannot be opened, and the rename is as durable as it gets).
    if let Ok(directory) = std::fs::File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}
