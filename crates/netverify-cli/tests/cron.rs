//! The CLI README's cron recipe, run as the shell script it is against the
//! mock: unchanged (no mail), a change (exactly one mail, then quiet), Jumio
//! down (no mail, the baseline untouched), and the same runs with the
//! accepted list sent under `supportedIdTypes`. Only the host, the
//! credential files and the directory are put in for the test's own; `mail`
//! is a script that records each mail.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{Mock, SECRET, TOKEN, code, json_of, scratch_dir};
use netverify_mock::{Fault, ListKey};

const README: &str = include_str!("../README.md");

/// The recipe's script, as the README prints it.
fn recipe() -> &'static str {
    README
        .split("### A cron job that alerts when the accepted list changes")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|rest| rest.split("\n```").next())
        .expect("the README has the cron recipe")
}

/// A directory for one account: the baseline's directory, the credential
/// files, `netverify` and `mail` on the PATH, and the mails sent.
struct Setup {
    dir: PathBuf,
    bin: PathBuf,
}

impl Setup {
    fn new(test: &str) -> Setup {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = scratch_dir(test);
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_netverify"), bin.join("netverify")).unwrap();
        // Each mail: a line with its arguments, then its body.
        let mail = bin.join("mail");
        std::fs::write(
            &mail,
            "#!/bin/sh\n{ echo \"MAIL $*\"; cat; } >> \"$MAILBOX\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&mail, std::fs::Permissions::from_mode(0o755)).unwrap();
        for (name, value) in [("token", TOKEN), ("secret", SECRET)] {
            let file = dir.join(name);
            std::fs::write(&file, value).unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        Setup { dir, bin }
    }

    fn baseline(&self) -> PathBuf {
        self.dir.join("lib").join("accepted.json")
    }

    /// `text` with the recipe's host, files and directory replaced by this
    /// test's.
    fn localize(&self, text: &str, mock: &Mock) -> String {
        let mut text = text.to_owned();
        for (from, to) in [
            (
                "JUMIO_REGION=eu",
                format!("JUMIO_BASE_URL={}", mock.server.base_url()),
            ),
            (
                "/etc/jumio/token",
                self.dir.join("token").display().to_string(),
            ),
            (
                "/etc/jumio/secret",
                self.dir.join("secret").display().to_string(),
            ),
            ("/var/lib/jumio", self.dir.join("lib").display().to_string()),
        ] {
            text = text.replace(from, &to);
        }
        text
    }

    /// Runs `script` with `sh`, in a clean environment.
    fn sh(&self, script: &str) -> Output {
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", self.bin.display()))
            .env("MAILBOX", self.dir.join("mailbox"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// The first run's command, from the recipe's "Once, by hand" comment.
    fn save_baseline(&self, mock: &Mock) {
        let once = recipe()
            .lines()
            .find_map(|line| line.strip_prefix("# Once, by hand: "))
            .expect("the recipe says how to save the first baseline");
        let output = self.sh(&format!(
            "export JUMIO_USER_AGENT='Acme KYC/1.0' JUMIO_API_TOKEN={TOKEN} JUMIO_API_SECRET={SECRET} \
             JUMIO_BASE_URL={}\n{}",
            mock.server.base_url(),
            self.localize(once, mock)
        ));
        assert_eq!(code(&output), 0, "{}", common::stderr(&output));
        assert!(self.baseline().exists());
    }

    fn run_recipe(&self, mock: &Mock) -> Output {
        let script = self.localize(recipe(), mock);
        for original in ["JUMIO_REGION", "/etc/jumio", "/var/lib/jumio"] {
            assert!(!script.contains(original), "{original} left in {script}");
        }
        self.sh(&script)
    }

    /// The mails sent so far: (arguments, body).
    fn mails(&self) -> Vec<(String, String)> {
        let mailbox = std::fs::read_to_string(self.dir.join("mailbox")).unwrap_or_default();
        mailbox
            .split("MAIL ")
            .skip(1)
            .map(|mail| {
                let (arguments, body) = mail.split_once('\n').unwrap();
                (arguments.to_owned(), body.to_owned())
            })
            .collect()
    }
}

/// A mock whose accepted list is `accepted` (a saved catalogue), its
/// supported list the sample's, sent under `key`.
fn mock_with_accepted(dir: &Path, accepted: &[u8], key: ListKey) -> Mock {
    let data = dir.join("changed-catalogue");
    std::fs::create_dir_all(&data).unwrap();
    let sample = Mock::start();
    let supported = sample.run(&["supported", "-f", "json"]);
    assert_eq!(code(&supported), 0);
    std::fs::write(data.join(netverify_mock::SUPPORTED_FILE), &supported.stdout).unwrap();
    std::fs::write(data.join(netverify_mock::ACCEPTED_FILE), accepted).unwrap();
    let catalogue = netverify_mock::Catalogue::from_dir(&data).unwrap();
    Mock::with(|builder| builder.catalogue(catalogue).accepted_key(key))
}

fn the_recipe_mails_once_per_change_and_never_on_failure(key: ListKey, test: &str) {
    let setup = Setup::new(test);
    let before = Mock::with(|builder| builder.accepted_key(key));
    setup.save_baseline(&before);
    let saved = std::fs::read(setup.baseline()).unwrap();
    assert!(
        json_of(&saved).get("acceptedIdTypes").is_some(),
        "the baseline says it is the accepted list"
    );

    // Unchanged: no mail, and the baseline as it was.
    let output = setup.run_recipe(&before);
    assert_eq!(code(&output), 0, "{}", common::stderr(&output));
    assert_eq!(setup.mails(), []);
    assert_eq!(std::fs::read(setup.baseline()).unwrap(), saved);
    assert_eq!(
        before.server.requests().last().unwrap().uri().path(),
        "/api/netverify/v2/acceptedIdTypes"
    );

    // The account stops accepting one country's documents.
    let mut changed = json_of(&saved);
    let removed = changed["acceptedIdTypes"].as_array_mut().unwrap().remove(0);
    let after = mock_with_accepted(&setup.dir, changed.to_string().as_bytes(), key);
    let output = setup.run_recipe(&after);
    assert_eq!(code(&output), 1, "{}", common::stderr(&output));
    let mails = setup.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(
        mails[0].0,
        "-s Jumio accepted IDs changed kyc-team@example.com"
    );
    assert!(
        mails[0]
            .1
            .contains(removed["countryCode"].as_str().unwrap()),
        "{}",
        mails[0].1
    );
    assert_eq!(after.server.request_count(), 1, "one request per run");
    let moved = std::fs::read(setup.baseline()).unwrap();
    assert_ne!(moved, saved);
    assert!(json_of(&moved).get("acceptedIdTypes").is_some());

    // The next run is quiet.
    let output = setup.run_recipe(&after);
    assert_eq!(code(&output), 0, "{}", common::stderr(&output));
    assert_eq!(setup.mails().len(), 1);

    // Jumio down: no mail, the baseline untouched, the failure told.
    after.server.faults().push_n(
        3,
        Fault::ServiceUnavailable {
            retry_after_secs: Some(0),
        },
    );
    let output = setup.run_recipe(&after);
    assert_eq!(code(&output), 4, "{}", common::stderr(&output));
    assert!(
        common::stderr(&output).contains("503"),
        "{}",
        common::stderr(&output)
    );
    assert_eq!(setup.mails().len(), 1);
    assert_eq!(std::fs::read(setup.baseline()).unwrap(), moved);
}

#[test]
fn the_cron_recipe_mails_once_per_change_and_never_on_failure() {
    the_recipe_mails_once_per_change_and_never_on_failure(ListKey::AcceptedIdTypes, "cron");
}

#[test]
fn the_cron_recipe_works_with_the_accepted_list_under_supported_id_types() {
    the_recipe_mails_once_per_change_and_never_on_failure(
        ListKey::SupportedIdTypes,
        "cron-supported-key",
    );
}
