//! The event loop and the way between screens: home → (name) → header → run, and resume.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use serde_json::{Map, Value};

use crate::checklist::{Checklist, Library, Listed};
use crate::config::Config;
use crate::lang::Lang;
use crate::store::follow_up::FollowUpNote;
use crate::store::session::{Session, SessionError, StartParams};

use super::header_form::{FormResult, HeaderForm};
use super::home::{HomeAction, HomeScreen};
use super::input::{InputResult, LineInput};
use super::run::{Flow, RunScreen};
use super::strings::strings;
use super::theme::Theme;

/// What the app needs from the command line and config.
pub struct AppContext {
    pub data_dir: PathBuf,
    pub library: Library,
    pub technician: Option<String>,
    pub lang: Lang,
    pub theme: Theme,
    pub config: Config,
    pub config_path: Option<PathBuf>,
    /// This laptop's seal key: every visit's finished, abandoned, amended and paused lines
    /// are sealed with it (none when it could not be made: the visit goes on, unsealed).
    pub sealer: Option<std::sync::Arc<crate::log::seal::Sealer>>,
}

/// Where the app begins.
pub enum Start {
    Home,
    /// A new visit; `fields` from `--field`.
    Run {
        checklist: Box<Checklist>,
        fields: Map<String, Value>,
    },
    /// An opened session (resumed by the command line).
    Session(Box<Session>),
}

enum Screen {
    Home(HomeScreen),
    /// Asking the technician's name once, before the first visit.
    Technician {
        input: LineInput,
        checklist: Box<Checklist>,
        fields: Map<String, Value>,
    },
    Header {
        form: HeaderForm,
        checklist: Box<Checklist>,
    },
    Run(Box<RunScreen>),
}

pub struct App {
    context: AppContext,
    screen: Screen,
    /// Whether leaving a visit goes back home (when the app began there) or quits.
    home_first: bool,
    /// The last frame was too small to show more than the "too small" message.
    too_small: bool,
    quit: bool,
    /// An error that ended the app, for the command to print after the screen is gone.
    farewell: Option<String>,
    /// When the battery level was last read.
    last_battery: Instant,
    /// Thumbnails of photos, once the terminal was asked how to draw them (kept across
    /// visits: the terminal is asked once).
    thumbnails: Option<super::thumbnails::Thumbnails>,
}

impl App {
    pub fn new(context: AppContext, start: Start) -> Result<App, SessionError> {
        let home_first = matches!(start, Start::Home);
        let mut app = App {
            screen: Screen::Home(home(&context, None)),
            context,
            home_first,
            too_small: false,
            quit: false,
            farewell: None,
            last_battery: Instant::now(),
            thumbnails: None,
        };
        match start {
            Start::Home => {}
            Start::Run { checklist, fields } => app.begin(checklist, fields)?,
            Start::Session(session) => {
                let mut run = app.run_screen(*session);
                // `sitecheck resume VISIT` of a returned visit shows its comments too.
                run.set_follow_up(app.follow_up_of(run.session.visit_id()));
                app.screen = Screen::Run(Box::new(run));
            }
        }
        Ok(app)
    }

    fn run_screen(&self, mut session: Session) -> RunScreen {
        if let Some(sealer) = &self.context.sealer {
            session.seal_with(sealer.clone());
        }
        let mut run = RunScreen::new(session, self.context.lang, self.context.theme);
        // Amendments name who made them, and only the visit's own technician makes them.
        run.technician = self.context.technician.clone();
        run.inbox = self.context.config.evidence_inbox();
        run
    }

    /// Starting a checklist: ask the name if unknown, then the header unless `--field` filled it.
    fn begin(
        &mut self,
        checklist: Box<Checklist>,
        fields: Map<String, Value>,
    ) -> Result<(), SessionError> {
        if self.context.technician.is_none() {
            self.screen = Screen::Technician {
                input: LineInput::default(),
                checklist,
                fields,
            };
            return Ok(());
        }
        let form = HeaderForm::prefilled(&checklist, &fields, self.context.lang);
        match form.values(&checklist) {
            // Every required field given and valid (`--field`): straight to the first item.
            Ok(values) if !fields.is_empty() || checklist.visit_fields.is_empty() => {
                self.start_visit(*checklist, values)
            }
            _ => {
                self.screen = Screen::Header { form, checklist };
                Ok(())
            }
        }
    }

    fn start_visit(
        &mut self,
        checklist: Checklist,
        fields: Map<String, Value>,
    ) -> Result<(), SessionError> {
        let technician = self.context.technician.clone().unwrap_or_default();
        let session = Session::start(StartParams {
            data_dir: &self.context.data_dir,
            checklist,
            technician: &technician,
            lang: self.context.lang.tag(),
            fields,
        })?;
        self.screen = Screen::Run(Box::new(self.run_screen(session)));
        Ok(())
    }

    fn go_home(&mut self, message: Option<String>) {
        if let Screen::Run(run) = &mut self.screen
            && let Some(thumbnails) = run.thumbnails.take()
        {
            self.thumbnails = Some(thumbnails);
        }
        if self.home_first {
            self.screen = Screen::Home(home(&self.context, message));
        } else {
            // Said once the terminal is given back: printed now, under the alternate
            // screen, it would vanish with it.
            self.farewell = message;
            self.quit = true;
        }
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let theme = self.context.theme;
        let s = strings(self.context.lang);
        let area = frame.area();
        let small =
            area.width < super::run::view::MIN_WIDTH || area.height < super::run::view::MIN_HEIGHT;
        // The name prompt fits any size; the other screens show only the "too small" message.
        self.too_small = small && !matches!(self.screen, Screen::Technician { .. });
        match &mut self.screen {
            Screen::Home(home) => home.render(frame),
            Screen::Run(run) => {
                run.hits = super::run::view::render(run, frame);
                // PgUp/PgDn move by what the list shows.
                run.page = run.hits.items.len().max(1);
            }
            Screen::Header { form, checklist } => {
                if small {
                    super::run::view::render_too_small(frame, s.too_small, area);
                } else {
                    form.render(frame, area, checklist, theme);
                }
            }
            Screen::Technician { input, .. } => {
                let rect = Rect {
                    height: 5.min(area.height),
                    ..area
                };
                frame.render_widget(Clear, area);
                let block = Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", s.technician_title));
                let inner = block.inner(rect);
                frame.render_widget(block, rect);
                let lines = vec![
                    Line::raw(s.technician_prompt),
                    Line::raw(crate::present::sanitize(input.text())),
                ];
                frame.render_widget(Paragraph::new(lines), inner);
                let x = inner.x + input.cursor_width() as u16;
                frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), inner.y + 1));
            }
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        // For the end-to-end test that a panic gives the terminal back: F12 panics when asked to.
        if key.code == crossterm::event::KeyCode::F(12)
            && std::env::var_os("SITECHECK_TEST_PANIC_ON_F12").is_some()
        {
            panic!("test panic requested with SITECHECK_TEST_PANIC_ON_F12");
        }
        let ctrl_c = key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL)
            && key.code == crossterm::event::KeyCode::Char('c');
        // Only the "too small" message is shown: other keys would answer items unseen.
        if self.too_small && !ctrl_c {
            return;
        }
        match &mut self.screen {
            Screen::Home(home) => {
                if ctrl_c {
                    self.quit = true;
                    return;
                }
                let action = home.handle_key(key);
                self.act_on_home(action);
            }
            Screen::Technician { input, .. } => {
                if ctrl_c {
                    self.go_home(None);
                    return;
                }
                match input.handle(key) {
                    InputResult::Cancel => self.go_home(None),
                    InputResult::Submit if !input.text().trim().is_empty() => {
                        let name = input.text().trim().to_owned();
                        self.remember_technician(&name);
                        let Screen::Technician {
                            checklist, fields, ..
                        } = std::mem::replace(
                            &mut self.screen,
                            Screen::Home(home(&self.context, None)),
                        )
                        else {
                            return;
                        };
                        if let Err(err) = self.begin(checklist, fields) {
                            self.go_home(Some(err.to_string()));
                        }
                    }
                    _ => {}
                }
            }
            Screen::Header { form, checklist } => {
                if ctrl_c {
                    self.go_home(None);
                    return;
                }
                match form.handle_key(key, checklist) {
                    FormResult::Editing => {}
                    FormResult::Cancel => self.go_home(None),
                    FormResult::Done(values) => {
                        let checklist = (**checklist).clone();
                        if let Err(err) = self.start_visit(checklist, values) {
                            self.go_home(Some(err.to_string()));
                        }
                    }
                }
            }
            Screen::Run(run) => {
                if run.handle_key(key) == Flow::Leave {
                    self.go_home(None);
                }
            }
        }
    }

    /// Starting a checklist chosen on the home screen: only now is it parsed in full.
    fn start_listed(&mut self, listed: &Listed) {
        let result = match self.context.library.load(listed) {
            Ok(checklist) => self.begin(Box::new(checklist), Map::new()),
            Err(err) => {
                self.go_home(Some(err.to_string()));
                return;
            }
        };
        if let Err(err) = result {
            self.go_home(Some(err.to_string()));
        }
    }

    /// Starting or resuming what was picked on the home screen.
    fn act_on_home(&mut self, action: HomeAction) {
        let Screen::Home(home) = &self.screen else {
            return;
        };
        match action {
            HomeAction::None => {}
            HomeAction::Quit => self.quit = true,
            HomeAction::Start(i) => {
                let listed = home.checklists[i].clone();
                self.start_listed(&listed);
            }
            HomeAction::Resume(i) => {
                let path = home.open[i].path.clone();
                self.resume(&path, Vec::new());
            }
            HomeAction::FollowUp(i) => {
                let returned = &home.returned[i];
                let (path, notes) = (returned.path.clone(), returned.notes.clone());
                self.resume(&path, notes);
            }
        }
    }

    /// The supervisor's comments on one of the technician's returned visits (none for a
    /// visit that is not returned, or not the technician's).
    fn follow_up_of(&self, visit: &str) -> Vec<FollowUpNote> {
        let Some(technician) = self.context.technician.as_deref() else {
            return Vec::new();
        };
        crate::store::follow_up::returned_visits(&self.context.data_dir, technician)
            .into_iter()
            .find(|r| r.visit == visit)
            .map(|r| r.notes)
            .unwrap_or_default()
    }

    /// Opens a visit; `follow_up` holds the supervisor's comments when it was sent back.
    fn resume(&mut self, path: &Path, follow_up: Vec<FollowUpNote>) {
        match Session::resume(&self.context.data_dir, path) {
            Ok(session) => {
                let mut run = self.run_screen(session);
                run.set_follow_up(follow_up);
                self.screen = Screen::Run(Box::new(run));
            }
            Err(err) => {
                if let Screen::Home(home) = &mut self.screen {
                    home.message = Some(err.to_string());
                }
            }
        }
    }

    /// Stores the name in the config file so it is asked only once.
    fn remember_technician(&mut self, name: &str) {
        self.context.technician = Some(name.to_owned());
        self.context.config.technician = Some(name.to_owned());
        if let Some(path) = &self.context.config_path
            && let Err(err) = self.context.config.save(path)
        {
            eprintln!("{err}");
        }
    }

    fn tick(&mut self) {
        if let Screen::Run(run) = &mut self.screen {
            run.tick();
        }
    }

    fn refresh_battery(&mut self) {
        if let Screen::Run(run) = &mut self.screen {
            run.refresh_battery();
        }
    }

    fn handle_mouse(&mut self, mouse: crossterm::event::MouseEvent) {
        if self.too_small {
            return;
        }
        match &mut self.screen {
            Screen::Run(run) => run.handle_mouse(mouse),
            Screen::Home(home) => {
                let action = home.handle_mouse(mouse);
                self.act_on_home(action);
            }
            _ => {}
        }
    }

    /// Runs until the user leaves; then the error that ended it, if one did. The terminal
    /// is restored however this returns.
    pub fn run(mut self) -> std::io::Result<Option<String>> {
        super::event_loop::run(&mut self)?;
        Ok(self.farewell.take())
    }
}

impl super::event_loop::Screen for App {
    fn draw(&mut self, frame: &mut Frame) {
        App::draw(self, frame);
    }

    fn handle_key(&mut self, key: KeyEvent) {
        App::handle_key(self, key);
    }

    fn handle_mouse(&mut self, mouse: crossterm::event::MouseEvent) {
        App::handle_mouse(self, mouse);
    }

    /// Thumbnails need to know what the terminal draws: asked once, now.
    fn started(&mut self) {
        self.thumbnails = super::thumbnails::Thumbnails::start(self.context.theme.color);
    }

    /// The home screen shows first; the returned visits (review logs) come right after.
    /// On the run screen: a file copied in once "copying" is on screen, thumbnails made.
    fn between_events(&mut self) -> bool {
        match &mut self.screen {
            Screen::Home(home) => home.load_returned(),
            Screen::Run(run) => {
                if run.thumbnails.is_none() {
                    run.thumbnails = self.thumbnails.take();
                }
                run.work()
            }
            _ => false,
        }
    }

    /// While a thumbnail is being made, look again soon.
    fn wait(&self) -> Duration {
        match &self.screen {
            Screen::Run(run) if run.thumbnails.as_ref().is_some_and(|t| t.loading()) => {
                Duration::from_millis(50)
            }
            _ => Duration::from_secs(1),
        }
    }

    fn idle(&mut self) {
        self.tick();
        if self.last_battery.elapsed() > Duration::from_secs(60) {
            self.refresh_battery();
            self.last_battery = Instant::now();
        }
    }

    fn done(&self) -> bool {
        self.quit
    }
}

fn home(context: &AppContext, message: Option<String>) -> HomeScreen {
    let mut home = HomeScreen::load(
        &context.library,
        &context.data_dir,
        context.lang,
        context.theme,
        context.technician.clone(),
    );
    home.message = message;
    home
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    fn app_on_first_item(data_dir: &Path) -> App {
        let library = Library::new(Vec::new());
        let checklist = library.find("haier-12345").unwrap().checklist;
        let mut fields = Map::new();
        fields.insert("work_order".into(), Value::from("WO-1234"));
        fields.insert("customer".into(), Value::from("Li"));
        let context = AppContext {
            data_dir: data_dir.to_path_buf(),
            library,
            technician: Some("zhang.san".into()),
            lang: Lang::En,
            theme: Theme::new(false),
            config: Config::default(),
            config_path: None,
            sealer: None,
        };
        App::new(
            context,
            Start::Run {
                checklist: Box::new(checklist),
                fields,
            },
        )
        .unwrap()
    }

    fn answers(app: &App) -> usize {
        match &app.screen {
            Screen::Run(run) => run.session.eval.answered,
            _ => panic!("not on the run screen"),
        }
    }

    #[test]
    fn keys_do_nothing_while_the_terminal_is_too_small() {
        let data = tempfile::tempdir().unwrap();
        let mut app = app_on_first_item(data.path());
        let mut terminal = Terminal::new(TestBackend::new(50, 12)).unwrap();
        terminal.draw(|frame| app.draw(frame)).unwrap();
        app.handle_key(KeyEvent::from(KeyCode::Char('p')));
        assert_eq!(answers(&app), 0, "no answer given unseen");

        terminal.backend_mut().resize(80, 24);
        terminal.draw(|frame| app.draw(frame)).unwrap();
        app.handle_key(KeyEvent::from(KeyCode::Char('p')));
        assert_eq!(answers(&app), 1);
    }
}
