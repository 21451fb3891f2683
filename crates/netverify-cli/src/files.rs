//! Files the CLI reads and writes for scripts: credentials from secret files
//! (the Docker and Kubernetes convention), saved catalogues, and answers
//! written atomically.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use netverify::{Catalogue, env_vars};

use crate::ui::Ui;

/// A credential that can come from a flag, a file named by a flag, a
/// variable, or a file named by a variable.
pub struct CredentialFile {
    /// What it is, in messages: "API secret".
    pub what: &'static str,
    /// The flag holding the value itself: `--secret`.
    pub flag: &'static str,
    /// The flag naming a file: `--secret-file`.
    pub file_flag: &'static str,
    /// The variable holding the value itself: `JUMIO_API_SECRET`.
    pub value_variable: &'static str,
    /// The variable naming a file: `JUMIO_API_SECRET_FILE`.
    pub variable: &'static str,
}

pub const TOKEN_FILE: CredentialFile = CredentialFile {
    what: "API token",
    flag: "--token",
    file_flag: "--token-file",
    value_variable: env_vars::API_TOKEN,
    variable: "JUMIO_API_TOKEN_FILE",
};

pub const SECRET_FILE: CredentialFile = CredentialFile {
    what: "API secret",
    flag: "--secret",
    file_flag: "--secret-file",
    value_variable: env_vars::API_SECRET,
    variable: "JUMIO_API_SECRET_FILE",
};

impl CredentialFile {
    /// The credential, from the first of: the flag, the file flag, the
    /// variable, the file variable (an empty flag or variable counts as
    /// unset). `None` when none is set. A file is read only when it is the
    /// one chosen; a missing, unreadable or empty one is an error naming it,
    /// and one that other users may read gets a warning.
    pub fn resolve(
        &self,
        ui: Ui,
        flag: &Option<String>,
        file_flag: &Option<PathBuf>,
    ) -> Result<Option<String>, String> {
        let set = |value: Option<String>| value.filter(|value| !value.is_empty());
        if let Some(value) = set(flag.clone()) {
            return Ok(Some(value));
        }
        if let Some(path) = file_flag {
            return self.read(ui, path, self.file_flag).map(Some);
        }
        if let Some(value) = set(std::env::var(self.value_variable).ok()) {
            return Ok(Some(value));
        }
        match set(std::env::var(self.variable).ok()) {
            Some(path) => self.read(ui, Path::new(&path), self.variable).map(Some),
            None => Ok(None),
        }
    }

    /// The file's contents without one trailing newline (`\n` or `\r\n`).
    fn read(&self, ui: Ui, path: &Path, from: &str) -> Result<String, String> {
        let what = self.what;
        let shown = path.display();
        let bytes = fs::read(path).map_err(|error| {
            if looks_like_a_path(path) {
                format!("cannot read the {what} file {shown} (from {from}): {error}")
            } else {
                // `--secret-file "$SECRET"` is an easy slip: a bare word that
                // names no file may be the credential itself.
                format!(
                    "cannot read the {what} file named by {from}: {error}; the name is not \
                     shown, because a bare word that names no file may be the {what} itself \
                     (give a path, such as ./{what_file} or /run/secrets/jumio_{what_file})",
                    what_file = self.flag.trim_start_matches('-'),
                )
            }
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("the {what} file {shown} (from {from}) is not UTF-8 text"))?;
        let value = text
            .strip_suffix('\n')
            .map(|rest| rest.strip_suffix('\r').unwrap_or(rest))
            .unwrap_or(&text);
        if value.is_empty() {
            return Err(format!(
                "the {what} file {shown} (from {from}) is empty: write the {what} into it, or \
                 pass {} instead",
                self.flag
            ));
        }
        if let Some(mode) = readable_by_others(path) {
            ui.warn(&format!(
                "the {what} file {shown} can be read by other users (mode {mode:03o}): \
                 chmod 600 {shown}"
            ));
        }
        Ok(value.to_owned())
    }
}

/// A saved catalogue: a file, or stdin for `-`. The error names the file.
pub fn load(path: &Path) -> Result<Catalogue, String> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "stdin".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes = if stdin {
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut io::stdin().lock(), &mut bytes).map(|_| bytes)
    } else {
        fs::read(path)
    }
    .map_err(|error| format!("cannot read {name}: {error}"))?;
    Catalogue::from_json(&bytes)
        .map_err(|error| format!("{name} is not a saved catalogue: {error}"))
}

/// Whether `path` reads as a path rather than a credential pasted in its
/// place: it has a directory part or an extension.
fn looks_like_a_path(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.chars().any(std::path::is_separator) || text.contains('.')
}

/// The permission bits of a file that its group or other users can read
/// (Unix only; elsewhere `None`). One function for both, so that the tests
/// on Unix reach every mutant of it.
fn readable_by_others(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o044 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Writes `bytes` to `path` so that a reader sees either the old file or the
/// whole new one, as the library's cache writes its file: tempfile's
/// `NamedTempFile` in the same directory, synced, then `persist`ed (renamed)
/// over `path`. An existing file keeps its permissions; a new one gets the
/// usual ones (0666 less the umask on Unix). On failure the temporary file
/// is removed and `path` is untouched. Errors name `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let context =
        |error: io::Error| io::Error::new(error.kind(), format!("{}: {error}", path.display()));
    if path.file_name().is_none() {
        return Err(context(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a file name",
        )));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let written = (|| {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".netverify-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // Masked by the umask, as any newly created file.
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let mut file = builder.tempfile_in(dir)?;
        if let Ok(existing) = fs::metadata(path) {
            file.as_file().set_permissions(existing.permissions())?;
        }
        file.write_all(bytes)?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|error| error.error)?;
        Ok(())
    })();
    written.map_err(context)
}
