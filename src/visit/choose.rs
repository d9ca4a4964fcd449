//! Choosing options of a multi_choice item: what a toggle leaves chosen.

use crate::checklist::ChoiceOption;

/// The options chosen after toggling `id` on a multi_choice item that had `chosen`.
///
/// A chosen `id` is unticked. An unchosen one is ticked: an exclusive option ("None of
/// these") then stays alone, and any other option clears the exclusive ones. The result is in
/// the checklist's option order, whatever order the options were picked in, and holds only
/// ids of `options` (each once). An `id` that is not an option changes nothing.
pub fn toggle_option(options: &[ChoiceOption], chosen: &[String], id: &str) -> Vec<String> {
    let Some(toggled) = options.iter().find(|o| o.id == id) else {
        return chosen.to_vec();
    };
    let was_chosen = chosen.iter().any(|c| *c == id);
    let keep = |option: &ChoiceOption| {
        if option.id == id {
            !was_chosen
        } else if was_chosen {
            chosen.contains(&option.id)
        } else {
            !toggled.exclusive && !option.exclusive && chosen.contains(&option.id)
        }
    };
    options
        .iter()
        .filter(|o| keep(o))
        .map(|o| o.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Text;

    /// site_issues of the bundled appliance checklist: none is exclusive, no_earth fails.
    fn options() -> Vec<ChoiceOption> {
        let option = |id: &str, fail: bool, exclusive: bool| ChoiceOption {
            id: id.into(),
            label: Text::plain(id),
            fail,
            exclusive,
        };
        vec![
            option("none", false, true),
            option("no_earth", true, false),
            option("weak_wall", true, false),
            option("tight_space", false, false),
            option("unknown", true, true),
        ]
    }

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn toggle(chosen: &[&str], id: &str) -> Vec<String> {
        toggle_option(&options(), &ids(chosen), id)
    }

    #[test]
    fn ticks_and_unticks_an_ordinary_option() {
        assert_eq!(toggle(&[], "no_earth"), ids(&["no_earth"]));
        assert_eq!(
            toggle(&["no_earth"], "tight_space"),
            ids(&["no_earth", "tight_space"])
        );
        assert_eq!(
            toggle(&["no_earth", "tight_space"], "no_earth"),
            ids(&["tight_space"])
        );
        assert_eq!(toggle(&["tight_space"], "tight_space"), ids(&[]));
    }

    #[test]
    fn an_exclusive_option_clears_the_others() {
        assert_eq!(toggle(&["no_earth", "tight_space"], "none"), ids(&["none"]));
        assert_eq!(toggle(&[], "none"), ids(&["none"]));
        // Another exclusive option replaces it, a failing one included.
        assert_eq!(toggle(&["none"], "unknown"), ids(&["unknown"]));
    }

    #[test]
    fn an_ordinary_option_clears_the_exclusive_ones() {
        assert_eq!(toggle(&["none"], "tight_space"), ids(&["tight_space"]));
        assert_eq!(toggle(&["unknown"], "weak_wall"), ids(&["weak_wall"]));
    }

    #[test]
    fn unticking_an_exclusive_option_leaves_nothing() {
        assert_eq!(toggle(&["none"], "none"), ids(&[]));
    }

    #[test]
    fn the_result_is_in_the_checklist_order() {
        assert_eq!(
            toggle(&["tight_space", "no_earth"], "weak_wall"),
            ids(&["no_earth", "weak_wall", "tight_space"])
        );
        assert_eq!(
            toggle(&["tight_space", "weak_wall"], "no_earth"),
            ids(&["no_earth", "weak_wall", "tight_space"])
        );
    }

    #[test]
    fn an_unknown_id_changes_nothing() {
        assert_eq!(
            toggle(&["tight_space", "no_earth"], "x"),
            ids(&["tight_space", "no_earth"])
        );
        assert_eq!(toggle(&[], "na"), ids(&[]));
    }

    #[test]
    fn ids_that_are_not_options_and_repeats_are_dropped() {
        assert_eq!(
            toggle(&["gone", "tight_space", "tight_space"], "no_earth"),
            ids(&["no_earth", "tight_space"])
        );
    }

    #[test]
    fn the_bundled_none_options_are_exclusive() {
        let source = crate::checklist::library::BUNDLED
            .iter()
            .find(|(name, _)| *name == "appliance-install.yaml")
            .map(|(_, source)| *source)
            .unwrap_or_default();
        let checklist = crate::checklist::parse_str(source)
            .checklist
            .expect("the bundled checklist reads");
        for item in ["site_issues", "materials_charged"] {
            let options = checklist.item(item).expect(item).kind.options();
            let chosen = toggle_option(options, &[], options[1].id.as_str());
            assert_eq!(
                toggle_option(options, &chosen, "none"),
                ids(&["none"]),
                "{item}"
            );
        }
    }

    #[test]
    fn a_checklist_without_exclusive_options_keeps_every_pick() {
        let plain: Vec<ChoiceOption> = options()
            .into_iter()
            .map(|o| ChoiceOption {
                exclusive: false,
                ..o
            })
            .collect();
        let mut chosen = Vec::new();
        for id in ["unknown", "none", "weak_wall"] {
            chosen = toggle_option(&plain, &chosen, id);
        }
        assert_eq!(chosen, ids(&["none", "weak_wall", "unknown"]));
    }
}
