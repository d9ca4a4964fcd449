//! `sitecheck keys show|trust FILE --technician NAME|list`: this laptop's seal key, and the
//! keys the office trusts, each for one technician (SPEC section 5).

use std::io::Write;
use std::path::Path;

use crate::context::Context;
use crate::keys::{KeyCard, KeyDir, read_card};
use crate::present::sanitize;

#[derive(Debug, clap::Subcommand)]
pub enum KeysAction {
    /// Print this laptop's public key (made on first use), to carry to the office:
    /// `sitecheck keys show > zhang.san.key`.
    Show,
    /// Trust a laptop's key (a file from `keys show`) for one technician's visits.
    Trust {
        /// The key file.
        file: std::path::PathBuf,
    },
    /// The keys trusted here, and this laptop's own.
    List,
}

pub fn keys(context: &Context, action: &KeysAction, out: &mut dyn Write) -> Result<u8, String> {
    let io = crate::context::output_error;
    let dir = key_dir(context)?;
    match action {
        KeysAction::Show => {
            let sealer = dir.own_key().map_err(|e| sanitize(&e.to_string()))?;
            let card = KeyCard {
                sitecheck_key: 1,
                key: sealer.key_id().to_owned(),
                technician: context.technician.clone().unwrap_or_default(),
                host: crate::store::session::host_name(),
            };
            let text = serde_json::to_string_pretty(&card).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(io)?;
        }
        KeysAction::Trust { file } => trust(context, &dir, file, out)?,
        KeysAction::List => {
            for key in dir.trusted().map_err(|e| sanitize(&e.to_string()))? {
                writeln!(
                    out,
                    "{}  {}  {}  {}",
                    sanitize(&key.technician),
                    key.key,
                    sanitize(&key.host),
                    sanitize(&key.trusted_at)
                )
                .map_err(io)?;
            }
            if let Ok(own) = dir.own_key_if_made() {
                writeln!(out, "{}", context.s().this_laptops_key(own.key_id())).map_err(io)?;
            }
        }
    }
    Ok(0)
}

fn key_dir(context: &Context) -> Result<KeyDir, String> {
    context
        .key_dir()
        .ok_or_else(|| "error: no config folder to keep keys in — give --config".to_owned())
}

fn trust(context: &Context, dir: &KeyDir, file: &Path, out: &mut dyn Write) -> Result<(), String> {
    let Some(technician) = context
        .technician_filter
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    else {
        return Err(context.s().key_needs_technician().to_owned());
    };
    let card = read_card(file).map_err(|e| sanitize(&e.to_string()))?;
    let at = crate::log::format_at(&chrono::Local::now());
    dir.trust(&card, technician, &at)
        .map_err(|e| sanitize(&e.to_string()))?;
    if !card.technician.is_empty() && card.technician != technician {
        let words = context
            .s()
            .key_card_names_another(&sanitize(&card.technician), &sanitize(technician));
        writeln!(out, "{words}").map_err(crate::context::output_error)?;
    }
    let words = context
        .s()
        .key_trusted(&sanitize(technician), &card.key, &sanitize(&card.host));
    writeln!(out, "{words}").map_err(crate::context::output_error)
}
