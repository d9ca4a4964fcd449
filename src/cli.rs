//! The command line (SPEC section 2): options, and sending each command to its module.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::checklist::{lint, schema};
use crate::commands::{self, list::ListFormat, show::ShowFormat};
use crate::context::{Context, Options, READER_GONE, output_error};
use crate::export::{ExportFormat, RowKind};
use crate::present::terminal::{self, Form};
use crate::review::filter::{Filter, VerdictFilter};
use crate::store::index::summary::VisitStatus;

#[derive(Debug, Parser)]
#[command(
    name = "sitecheck",
    version,
    about = "Service-standard checklists for field technicians"
)]
pub struct Cli {
    /// Where visits are stored (repeatable for read-only commands).
    #[arg(
        long = "data-dir",
        global = true,
        env = "SITECHECK_DATA_DIR",
        value_delimiter = ':'
    )]
    pub data_dir: Vec<PathBuf>,
    /// The fleet store: a PostgreSQL URL (`postgres://user@host/db`, a Unix socket as
    /// `postgres://user@%2Frun%2Fpostgresql/db`) read and imported into instead of --data-dir.
    #[arg(long, global = true, env = "SITECHECK_STORE", value_name = "URL")]
    pub store: Option<String>,
    /// Extra folders to find checklists in (repeatable).
    #[arg(
        long = "checklists",
        global = true,
        env = "SITECHECK_CHECKLISTS",
        value_delimiter = ':'
    )]
    pub checklists: Vec<PathBuf>,
    /// The technician's name, recorded in every visit.
    #[arg(long, global = true, env = "SITECHECK_TECHNICIAN")]
    pub technician: Option<String>,
    /// UI language: en or zh-CN (default from LANG / LC_ALL).
    #[arg(long, global = true, value_parser = ["en", "zh-CN", "zh"])]
    pub lang: Option<String>,
    /// No colours (also when NO_COLOR is set to anything but the empty string).
    #[arg(long = "no-color", global = true)]
    pub no_color: bool,
    /// The config file (default: the platform config folder's sitecheck/config.yaml).
    #[arg(long, global = true, env = "SITECHECK_CONFIG", hide = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a visit from a checklist (a path or a checklist id).
    Run {
        /// The checklist: a checklist id (`sitecheck` with no command lists them) or the
        /// path of a checklist file.
        checklist: String,
        /// Pre-fill a visit header field (repeatable).
        #[arg(long = "field", value_name = "KEY=VALUE", value_parser = commands::visit::parse_field)]
        fields: Vec<(String, String)>,
    },
    /// Resume an unfinished visit (the latest if none is given).
    Resume {
        /// The visit: its id, or enough of its beginning to be the only one (the latest
        /// unfinished visit when none is given).
        visit: Option<String>,
    },
    /// Attach photos or files to an item of a visit of this laptop (what `e` does on the
    /// run screen), from a script: a work-order system, a phone's photo sync.
    Attach {
        /// The visit: its id, or enough of its beginning to be the only one.
        visit: String,
        /// The item's id, as in the checklist.
        item: String,
        /// The files to attach (each copied into the store; the originals are left alone).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Why, for a finished visit (an amendment, by its own technician).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Print one visit with every answer.
    Show {
        /// The visit: its id, or enough of its beginning to be the only one (`sitecheck
        /// list` shows them).
        visit: String,
        /// Text for people, JSON for programs, Markdown for a report, or a printable HTML sheet.
        #[arg(long, value_enum, default_value = "text")]
        format: ShowFormat,
    },
    /// Check the integrity of visit and review logs.
    Verify {
        /// The visits to check (ids, or enough of their beginnings); every visit of every
        /// --data-dir when none is given.
        #[arg(value_name = "VISIT")]
        visits: Vec<String>,
        /// A customer's receipt code (XXXXX-XXXXX): whether the one VISIT's log holds the
        /// line it stands for, unchanged, and what came after it.
        #[arg(long, value_name = "CODE")]
        receipt: Option<String>,
    },
    /// This laptop's seal key and the keys trusted here: `keys show`, `keys trust FILE
    /// --technician NAME`, `keys list`.
    Keys {
        #[command(subcommand)]
        action: commands::keys::KeysAction,
    },
    /// The supervisor's screens: every visit of the store (all --data-dir given), its
    /// detail, verdicts and stats. `--technician` names the reviewer here.
    Review {
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// List the visits of the store (every --data-dir), one a line or as JSON.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        /// A table for people (fitted to the terminal), or a JSON array for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Compliance per item, section, technician and week, against the checklists' targets.
    Stats {
        #[command(flatten)]
        filter: FilterArgs,
        /// Break the figures down by technician, checklist, week, month, store (each
        /// --data-dir) or field:ID (a header field's value).
        #[arg(long, value_name = "DIMENSION", value_parser = parse_by)]
        by: Option<crate::review::breakdown::By>,
    },
    /// Export the visits as CSV, JSON Lines or a printable HTML report.
    Export {
        /// CSV for spreadsheets, JSON Lines for programs, or a printable HTML report.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// CSV rows: one per current answer, or one per visit.
        #[arg(long, value_enum, default_value = "answers")]
        rows: RowKind,
        /// Start a CSV file with a UTF-8 byte order mark, so that Excel reads Chinese right.
        #[arg(long)]
        bom: bool,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Merge visit and review logs from other stores (a USB stick, a shared folder).
    Import {
        /// Stores to take logs from: data folders of other laptops, copied to a USB stick
        /// or a shared folder.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Exit (code 2) instead of waiting when another import into this store is running.
        #[arg(long = "no-wait")]
        no_wait: bool,
    },
    /// Write the review logs of one technician's visits (and nothing else) to a new or
    /// empty folder, for `sitecheck import` on that technician's laptop. `--technician`
    /// names the technician here.
    Returns {
        /// The folder to write them to (a USB stick's): it must be new or empty.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Validate checklist files or folders.
    Lint {
        /// Checklist files, or folders whose checklist files are all checked.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Print a JSON Schema of the checklist format (for editors).
    Schema,
    /// Print shell completions.
    Completions {
        /// The shell to print completions for.
        shell: clap_complete::Shell,
    },
}

/// The filters of the read-only commands (SPEC section 2). `--technician` is the global
/// option: for these commands it names the technician whose visits to show.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// First day included (YYYY-MM-DD, the technician's local date).
    #[arg(long, value_parser = parse_date)]
    pub since: Option<chrono::NaiveDate>,
    /// Last day included (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub until: Option<chrono::NaiveDate>,
    /// Only visits of this checklist id.
    #[arg(long)]
    pub checklist: Option<String>,
    /// Only visits in this state.
    #[arg(long, value_parser = ["open", "finished", "abandoned", "unreadable"])]
    pub status: Option<String>,
    /// Only visits whose latest review has this verdict, none (`unreviewed`), or that need
    /// a review (`to_review`: unreviewed, or changed since their latest review).
    #[arg(long, value_parser = ["approved", "follow_up", "rejected", "unreviewed", "to_review"])]
    pub verdict: Option<String>,
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::review::filter::parse_date(text)
}

fn parse_by(text: &str) -> Result<crate::review::breakdown::By, String> {
    crate::review::breakdown::By::parse(text)
}

/// A filter naming a checklist or technician the store has never seen is an error (exit 2)
/// that suggests the known ones.
fn check_names(
    filter: &Filter,
    store: &crate::store::index::open::Store,
    lang: crate::lang::Lang,
) -> Result<(), String> {
    filter.check_names(&store.visits).map_err(|unknown| {
        crate::present::stats_strings::unknown_name(
            unknown.what,
            &unknown.name,
            &unknown.known,
            lang,
        )
    })
}

impl FilterArgs {
    /// The filter, with the technician given on the command line (if any).
    pub fn to_filter(&self, technician: Option<&str>) -> Filter {
        Filter {
            since: self.since,
            until: self.until,
            technician: technician.map(str::to_owned),
            checklist: self.checklist.clone(),
            status: self.status.as_deref().and_then(|s| {
                [
                    VisitStatus::Open,
                    VisitStatus::Finished,
                    VisitStatus::Abandoned,
                    VisitStatus::Unreadable,
                ]
                .into_iter()
                .find(|status| status.name() == s)
            }),
            verdict: self.verdict.as_deref().and_then(VerdictFilter::parse),
        }
    }
}

/// Parses the command line and runs it; the process's exit code.
pub fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => suggest_command(err).exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let technician_filter = (matches.value_source("technician")
        == Some(clap::parser::ValueSource::CommandLine))
    .then(|| cli.technician.clone())
    .flatten();
    let data_dir_source = match matches.value_source("data_dir") {
        Some(clap::parser::ValueSource::CommandLine) => Some("--data-dir"),
        Some(clap::parser::ValueSource::EnvVariable) => Some("SITECHECK_DATA_DIR"),
        _ => None,
    };
    let options = Options {
        config: cli.config.clone(),
        data_dir: cli.data_dir.clone(),
        checklists: cli.checklists.clone(),
        technician: cli.technician.clone(),
        lang: cli.lang.clone(),
        no_color: cli.no_color,
        store: cli.store.clone(),
    };
    let context = match Context::new(&options, technician_filter, data_dir_source) {
        Ok(context) => context,
        Err(message) => {
            print_error(&message);
            return ExitCode::from(2);
        }
    };
    match run(cli.command, &context) {
        Ok(code) => ExitCode::from(code),
        // The reader stopped reading (`sitecheck list | head`): nothing went wrong here.
        Err(message) if message == READER_GONE => ExitCode::SUCCESS,
        Err(message) => {
            print_error(&message);
            ExitCode::from(2)
        }
    }
}

/// Prints an error on standard error, through the writer that keeps a terminal safe.
fn print_error(message: &str) {
    let _ = writeln!(terminal::stderr(), "{}", error_message(message));
}

/// Every error line the binary prints carries `error:`: at its start, or after the
/// `path:line:col: ` that places it in a file (SPEC section 2). Messages from the domain
/// that have neither (a visit open in another process ...) get it here.
pub fn error_message(message: &str) -> String {
    // Errors quote file names and record text: every line passes the one sanitiser on its
    // way to the terminal.
    let message: Vec<String> = message.lines().map(crate::present::sanitize).collect();
    let message = message.join("\n");
    let first = message.lines().next().unwrap_or("");
    if first.starts_with("error: ") || first.contains(": error: ") {
        message
    } else {
        format!("error: {message}")
    }
}

/// A mistyped command gets the commands it is nearest to. clap's own guess (Jaro > 0.7)
/// finds none for short slips such as `rn` or `shwo`; an edit or two away does.
fn suggest_command(mut err: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::InvalidSubcommand
        || err.get(ContextKind::SuggestedSubcommand).is_some()
    {
        return err;
    }
    let Some(ContextValue::String(typed)) = err.get(ContextKind::InvalidSubcommand) else {
        return err;
    };
    let command = Cli::command();
    let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
    let near = nearest_commands(typed, &names);
    if !near.is_empty() {
        err.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(near),
        );
    }
    err
}

/// The names one edit from `typed` (two for words of five letters or more), nearest first.
fn nearest_commands(typed: &str, names: &[&str]) -> Vec<String> {
    let most = if typed.chars().count() >= 5 { 2 } else { 1 };
    let mut near: Vec<(usize, &str)> = names
        .iter()
        .map(|name| (strsim::damerau_levenshtein(typed, name), *name))
        .filter(|(distance, _)| *distance <= most)
        .collect();
    near.sort();
    near.into_iter().map(|(_, name)| name.to_owned()).collect()
}

impl Command {
    /// The commands that read the store: a data folder named that is not there is an
    /// error for them, not an empty store.
    fn reads_store(&self) -> bool {
        matches!(
            self,
            Command::List { .. }
                | Command::Show { .. }
                | Command::Stats { .. }
                | Command::Export { .. }
                | Command::Verify { .. }
                | Command::Review { .. }
                | Command::Returns { .. }
        )
    }
}

fn run(command: Option<Command>, context: &Context) -> Result<u8, String> {
    if command.as_ref().is_some_and(Command::reads_store) {
        context.check_data_dirs()?;
    }
    // Standard output, told what the command writes: a terminal gets it with every control
    // character, escape sequence, bidi override and zero-width character made harmless; a
    // file or a pipe gets it exactly.
    let stdout = terminal::stdout;
    let io = output_error;
    match command {
        None => commands::visit::home(context),
        Some(Command::Run { checklist, fields }) => {
            commands::visit::run(context, &checklist, &fields)
        }
        Some(Command::Resume { visit }) => commands::visit::resume(context, visit.as_deref()),
        Some(Command::Attach {
            visit,
            item,
            files,
            reason,
        }) => {
            let wanted = commands::attach::Attach {
                visit: &visit,
                item: &item,
                files: &files,
                reason: reason.as_deref(),
            };
            commands::attach::attach(context, &wanted, &mut stdout(Form::Text))
        }
        Some(Command::Show { visit, format }) => {
            let store = context.store()?;
            let visit = context.find_visit(&*store, &visit)?;
            let mut loaded = store.load(&visit).map_err(|e| e.to_string())?;
            // The review trail: a review log that cannot be read shows as none here;
            // `verify` names its problems.
            let reviews = store
                .review_log(&visit)
                .and_then(|log| log.bytes.ok())
                .map(|bytes| crate::log::review::analyze_reviews(&bytes, &visit.id).reviews)
                .unwrap_or_default();
            let trust = context.trust()?;
            loaded.seal = Some(trust.status(&loaded.state.technician, loaded.sealed_by.as_deref()));
            let mut out = stdout(match format {
                ShowFormat::Json => Form::Json,
                ShowFormat::Text | ShowFormat::Md | ShowFormat::Html => Form::Text,
            });
            // The sheet shows each photo scaled, linked to the file in the store.
            let files = if format == ShowFormat::Html {
                let attachments = loaded.state.answers.values().flat_map(|a| &a.evidence);
                crate::export::html::thumbs::shown_files(&*store, &visit, attachments)
            } else {
                Default::default()
            };
            commands::show::show(&loaded, &reviews, &files, format, context.lang, &mut out)
                .map_err(io)?;
            Ok(0)
        }
        Some(Command::Verify { visits, receipt }) => {
            let store = context.store()?;
            let mut out = stdout(Form::Text);
            match receipt {
                Some(code) => {
                    commands::verify::verify_receipt(context, &*store, &visits, &code, &mut out)
                }
                None => commands::verify::verify(context, &*store, &visits, &mut out),
            }
        }
        Some(Command::Review { filter }) => {
            commands::review::review(context, &filter.to_filter(None))
        }
        Some(Command::List { filter, format }) => {
            let store = context.open_store(&*context.store()?)?;
            let filter = filter.to_filter(context.technician_filter.as_deref());
            check_names(&filter, &store, context.lang)?;
            // Fitted to the terminal only when a person reads it; a pipe gets every column.
            let width = std::io::IsTerminal::is_terminal(&std::io::stdout())
                .then(|| crossterm::terminal::size().ok())
                .flatten()
                .map(|(columns, _)| usize::from(columns));
            let mut out = stdout(match format {
                ListFormat::Json => Form::Json,
                ListFormat::Table => Form::Text,
            });
            commands::list::list(
                &store.visits,
                &store.trust,
                &filter,
                format,
                context.lang,
                width,
                &mut out,
            )
            .map_err(io)?;
            Ok(crate::context::read_in_full(&store, 0))
        }
        Some(Command::Stats { filter, by }) => {
            let source = context.store()?;
            let filter = filter.to_filter(context.technician_filter.as_deref());
            // A store that counts its figures itself (the fleet store, in SQL) is not read.
            if let Some(counted) = commands::stats::counted_in_store(
                &*source,
                &filter,
                by.as_ref(),
                &context.config.rushed.unwrap_or_default(),
                context.lang,
            ) {
                let (stats, comparison) = counted?;
                commands::stats::write_stats(
                    &stats,
                    comparison.as_ref(),
                    &filter,
                    context.lang,
                    &mut stdout(Form::Text),
                )
                .map_err(io)?;
                return Ok(0);
            }
            let store = context.open_store(&*source)?;
            check_names(&filter, &store, context.lang)?;
            let stats = crate::review::compute_stats(filter.apply(&store.visits), by.as_ref());
            // This period against the previous one: the same filter but for the dates.
            let undated = Filter {
                since: None,
                until: None,
                ..filter.clone()
            };
            let undated: Vec<_> = undated.apply(&store.visits).collect();
            let comparison =
                crate::review::period::compare(undated.iter().copied(), filter.since, filter.until);
            commands::stats::write_stats(
                &stats,
                comparison.as_ref(),
                &filter,
                context.lang,
                &mut stdout(Form::Text),
            )
            .map_err(io)?;
            Ok(crate::context::read_in_full(&store, 0))
        }
        Some(Command::Export {
            format,
            out: file,
            rows,
            bom,
            filter,
        }) => {
            let source = context.store()?;
            let store = context.open_store(&*source)?;
            let filter = filter.to_filter(context.technician_filter.as_deref());
            check_names(&filter, &store, context.lang)?;
            let export = commands::export::Export {
                source: &*source,
                store: &store,
                filter: &filter,
                format,
                rows,
                bom,
                lang: context.lang.tag(),
            };
            match file {
                Some(path) => export.to_file(&path)?,
                None => {
                    let mut out = stdout(match format {
                        ExportFormat::Jsonl => Form::Json,
                        ExportFormat::Csv | ExportFormat::Html => Form::Text,
                    });
                    export.write(&mut out).map_err(io)?
                }
            }
            Ok(crate::context::read_in_full(&store, 0))
        }
        Some(Command::Import { dirs, no_wait }) => {
            let wait = if no_wait {
                crate::store::import::Wait::No
            } else {
                crate::store::import::Wait::Yes
            };
            commands::import::import_all(&*context.store()?, &dirs, wait, &mut stdout(Form::Text))
        }
        Some(Command::Keys { action }) => {
            commands::keys::keys(context, &action, &mut stdout(Form::Text))
        }
        Some(Command::Returns { out }) => {
            let source = context.store()?;
            let store = context.open_store(&*source)?;
            commands::returns::Returns {
                source: &*source,
                store: &store,
                technician: context.technician_filter.as_deref(),
                out_dir: &out,
                lang: context.lang,
            }
            .write(&mut stdout(Form::Text))
        }
        Some(Command::Lint { paths }) => {
            let summary =
                lint::lint_paths(&paths, &mut stdout(Form::Text), &mut terminal::stderr())
                    .map_err(io)?;
            Ok(summary.exit_code())
        }
        Some(Command::Schema) => {
            let text =
                serde_json::to_string_pretty(&schema::json_schema()).map_err(|e| e.to_string())?;
            writeln!(stdout(Form::Json), "{text}").map_err(io)?;
            let _ = context;
            Ok(0)
        }
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "sitecheck",
                &mut stdout(Form::Text),
            );
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_commands_are_suggested() {
        let names = [
            "run", "resume", "review", "list", "show", "stats", "schema", "lint",
        ];
        assert_eq!(nearest_commands("rn", &names), ["run"]);
        assert_eq!(nearest_commands("shwo", &names), ["show"]);
        assert_eq!(nearest_commands("reveiw", &names), ["review"]);
        assert_eq!(nearest_commands("lst", &names), ["list"]);
        assert!(nearest_commands("frobnicate", &names).is_empty());
    }

    #[test]
    fn every_error_carries_its_mark() {
        assert_eq!(error_message("error: x"), "error: x");
        assert_eq!(
            error_message("a.yaml:1:2: error: x"),
            "a.yaml:1:2: error: x"
        );
        assert_eq!(
            error_message("visit V is open in another sitecheck process"),
            "error: visit V is open in another sitecheck process"
        );
    }
}
