#!/usr/bin/env python3
"""Access keys (mnemonics, "_X" in labels) are unique within each window, in English and
in every translation.

GTK 4 cycles the focus between widgets that share a mnemonic instead of activating one,
so two labels of one window on the same letter cost a keyboard user an extra key press
and a look at the screen (GNOME HIG: unique access keys per window).

What is one scope (one set of mnemonics that must not collide):
  * each top-level <template> or <object> of a ui/*.ui file: a window, with everything
    inside it (stack and view-stack pages included: they are one window). A template
    whose parent is not a window (AdwBin and the like) is embedded where another ui file
    names its class, and its labels join that window's scope;
  * each <menu> and each <submenu>: a popover menu handles its own mnemonics;
  * a GtkPopover/GtkPopoverMenu or a window nested in a ui file.
Labels with a mnemonic: the "label" and "title" properties of an object whose
"use-underline" is true, and the "label" attribute of a menu <item>.

Labels set in C (src/gui/X.c, the code behind ui/X.ui): every _("…") or C_("…", "…")
literal with a mnemonic. It joins the scope of X.ui's template, as another text of the
widget named in the same statement (self->ID with ID an object of X.ui), or as a widget
of its own (a toast's button). Literals passed to adw_message_dialog_add_response(s)
form one scope per C function (the message dialog), literals in g_menu_* calls one scope
per C function (the menu), and literals for file choosers are GTK's dialog's, not checked.

Each language of po/LINGUAS is checked with its catalogue (fuzzy and obsolete entries
are ignored, as gettext does; an untranslated label stays English). The access key is
the character after the first single "_" ("__" is a literal underscore), compared after
case folding. A translation that drops the mnemonic of a label that has one is reported
too.

Usage: check-mnemonics.py [--srcdir DIR] [--lang LANG]...
Exit status: 0 when no scope has two widgets on one access key, 1 otherwise (each
collision listed as file, scope, language, letter and the labels), 2 on a usage or
parse error.
"""

import argparse
import ast
import os
import re
import sys
import xml.etree.ElementTree as ET

TRUE_WORDS = {"true", "yes", "1", "t", "y"}
POPOVER_CLASSES = {"GtkPopover", "GtkPopoverMenu", "GtkPopoverMenuBar", "GtkEmojiChooser"}
LABEL_PROPERTIES = {"label", "title"}


def access_key(text):
    """The case-folded character after the first single underscore, or None."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "_":
            if text[i + 1] == "_":
                i += 2
                continue
            return text[i + 1].casefold()
        i += 1
    return None


def is_window_class(name):
    """A toplevel: GtkWindow, AdwPreferencesWindow, AdwMessageDialog... (a scrolled
    window is not one)."""
    return (name.endswith("Window") or name.endswith("Dialog")) and name != "GtkScrolledWindow"


# ---- gettext catalogues --------------------------------------------------------------

def parse_po(path):
    """{(msgctxt, msgid): msgstr} of the translated, non-fuzzy singular entries."""
    catalogue = {}
    entry = {}
    flags = set()
    field = None

    def finish():
        nonlocal entry, flags, field
        msgid = entry.get("msgid")
        msgstr = entry.get("msgstr")
        if msgid and msgstr and "fuzzy" not in flags and "msgid_plural" not in entry:
            catalogue[(entry.get("msgctxt"), msgid)] = msgstr
        entry, flags, field = {}, set(), None

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line:
                finish()
                continue
            if line.startswith("#~"):
                continue
            if line.startswith("#,"):
                if "msgid" in entry:
                    finish()
                flags.update(flag.strip() for flag in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            keyword, _, rest = line.partition(" ")
            if line.startswith('"'):
                if field is None:
                    raise ValueError("%s: a string outside an entry: %s" % (path, line))
                entry[field] += ast.literal_eval(line)
                continue
            if keyword in ("msgctxt", "msgid") and "msgstr" in entry:
                finish()
            if keyword.startswith("msgstr["):
                field = keyword
                entry[field] = ast.literal_eval(rest)
                continue
            if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                raise ValueError("%s: unexpected line: %s" % (path, line))
            field = keyword
            entry[field] = ast.literal_eval(rest)
    finish()
    return catalogue


# ---- labels --------------------------------------------------------------------------

class Label:
    def __init__(self, text, context, translatable, slot, where):
        self.text = text            # English, with the mnemonic underscore
        self.context = context      # msgctxt or None
        self.translatable = translatable
        self.slot = slot            # one widget: its texts do not collide with each other
        self.where = where          # file (and widget id or line) for the report

    def translated(self, catalogue):
        if catalogue is None or not self.translatable:
            return self.text
        return catalogue.get((self.context, self.text), self.text)


class Scope:
    def __init__(self, name, path):
        self.name = name
        self.path = path            # the file that defines the scope
        self.labels = []
        self.classes = set()        # classes of the objects inside (for embedded templates)


def truthy(element):
    return (element.text or "").strip().lower() in TRUE_WORDS


class UiFile:
    """The scopes of one ui file."""

    def __init__(self, path, relpath):
        self.relpath = relpath
        self.scopes = []
        self.template_class = None
        self.template_parent = None
        self.ids = set()
        self.counter = 0
        root = ET.parse(path).getroot()
        for child in root:
            if child.tag == "template":
                self.template_class = child.get("class")
                self.template_parent = child.get("parent", "")
                scope = self.new_scope(self.template_class)
                self.walk_object(child, scope)
            elif child.tag == "object":
                scope = self.new_scope(child.get("id") or child.get("class"))
                scope.classes.add(child.get("class"))
                self.walk_object(child, scope)
            elif child.tag == "menu":
                self.walk_menu(child, self.new_scope("menu " + (child.get("id") or "?")))

    def new_scope(self, name):
        scope = Scope(name, self.relpath)
        self.scopes.append(scope)
        return scope

    def slot_name(self, element):
        if element.get("id"):
            self.ids.add(element.get("id"))
            return element.get("id")
        self.counter += 1
        return "#%d" % self.counter

    def walk_object(self, element, scope):
        slot = self.slot_name(element)
        underline = any(p.get("name") in ("use-underline", "use_underline") and truthy(p)
                        for p in element.findall("property"))
        for prop in element.findall("property"):
            if underline and prop.get("name") in LABEL_PROPERTIES and prop.text:
                self.add_label(scope, prop, slot)
        for child in element:
            for obj in self.objects_below(child):
                cls = obj.get("class", "")
                if cls in POPOVER_CLASSES or is_window_class(cls):
                    inner = self.new_scope(obj.get("id") or cls)
                    inner.classes.add(cls)
                    self.walk_object(obj, inner)
                else:
                    scope.classes.add(cls)
                    self.walk_object(obj, scope)

    def objects_below(self, element):
        """The objects directly under a <child>, <property> or <items>-like element."""
        if element.tag == "object":
            return [element]
        found = []
        for child in element:
            found.extend(self.objects_below(child))
        return found

    def walk_menu(self, element, scope):
        for child in element:
            if child.tag == "section":
                self.walk_menu(child, scope)
            elif child.tag == "submenu":
                self.add_menu_label(child, scope)
                self.walk_menu(child, self.new_scope("submenu " + (child.get("id") or "?")))
            elif child.tag == "item":
                self.add_menu_label(child, scope)

    def add_menu_label(self, item, scope):
        for attribute in item.findall("attribute"):
            if attribute.get("name") == "label" and attribute.text:
                self.add_label(scope, attribute, self.slot_name(item))

    def add_label(self, scope, element, slot):
        text = element.text
        if access_key(text) is None:
            return
        scope.labels.append(Label(text, element.get("context"),
                                  element.get("translatable", "").lower() in TRUE_WORDS,
                                  (self.relpath, slot),
                                  "%s (%s)" % (self.relpath, slot)))


# ---- labels set in C -----------------------------------------------------------------

C_STRING = r'"(?:[^"\\]|\\.)*"'
C_LITERAL = re.compile(r'\b(C_|_)\s*\(\s*((?:%s\s*)+)(?:,\s*((?:%s\s*)+))?\)' % (C_STRING, C_STRING))
C_DEFINITION = re.compile(r"^([A-Za-z_]\w*)\s*\(([^)]*)\)\s*\{", re.M)
# Calls that take a label with a mnemonic (any argument).
MNEMONIC_CALLS = {
    "gtk_button_set_label", "gtk_button_new_with_mnemonic", "gtk_menu_button_set_label",
    "gtk_label_new_with_mnemonic", "gtk_label_set_text_with_mnemonic",
    "gtk_label_set_markup_with_mnemonic", "gtk_check_button_new_with_mnemonic",
    "gtk_toggle_button_new_with_mnemonic", "gtk_expander_new_with_mnemonic",
    "adw_preferences_row_set_title", "adw_button_content_set_label",
    "adw_split_button_set_label", "adw_toast_set_button_label",
    "adw_view_stack_add_titled", "adw_view_stack_page_set_title",
}
# Labels of a window of their own: the buttons of a message dialog, the items of a menu.
DIALOG_CALLS = {"adw_message_dialog_add_response", "adw_message_dialog_add_responses"}
MENU_CALLS = {"g_menu_append", "g_menu_insert", "g_menu_prepend", "g_menu_item_new",
              "g_menu_item_set_label", "g_menu_append_submenu", "g_menu_insert_submenu"}


def c_string(literals):
    return "".join(ast.literal_eval(part) for part in re.findall(C_STRING, literals))


def blank_comments_and_strings(source):
    """The source with comments and string contents blanked (lengths and lines kept)."""
    def blank(m):
        text = m.group(0)
        if text.startswith('"'):
            return '"' + re.sub(r"[^\n]", " ", text[1:-1]) + '"'
        return re.sub(r"[^\n]", " ", text)
    return re.sub(r'/\*.*?\*/|//[^\n]*|' + C_STRING + r"|'(?:[^'\\]|\\.)*'", blank, source, flags=re.S)


def enclosing_call(code, position):
    """(function name, argument index) of the innermost call around position."""
    depth = 0
    commas = 0
    i = position - 1
    while i >= 0:
        c = code[i]
        if c in ")]":
            depth += 1
        elif c in "([":
            if depth == 0:
                if c == "[":
                    return None, 0
                j = i
                while j > 0 and code[j - 1].isspace():
                    j -= 1
                k = j
                while k > 0 and (code[k - 1].isalnum() or code[k - 1] == "_"):
                    k -= 1
                return (code[k:j] or None), commas
            depth -= 1
        elif c == "," and depth == 0:
            commas += 1
        elif c in ";{}" and depth == 0:
            return None, 0
        i -= 1
    return None, 0


def c_functions(code):
    """[(name, parameter names, body start, body end)] of the functions defined in code."""
    functions = []
    for m in C_DEFINITION.finditer(code):
        params = [re.findall(r"\w+", p)[-1] if re.findall(r"\w+", p) else ""
                  for p in m.group(2).split(",")]
        depth = 0
        for i in range(m.end() - 1, len(code)):
            if code[i] == "{":
                depth += 1
            elif code[i] == "}":
                depth -= 1
                if depth == 0:
                    break
        functions.append((m.group(1), params, m.end(), i))
    return functions


def mnemonic_wrappers(code, functions):
    """{(function, argument index)} of the file's functions that pass an argument on to
    a call taking a mnemonic (e.g. a toast helper's button label), to a fixed point."""
    kinds = {name: "widget" for name in MNEMONIC_CALLS}
    kinds.update({name: "dialog" for name in DIALOG_CALLS})
    kinds.update({name: "menu" for name in MENU_CALLS})
    wrappers = {}
    changed = True
    while changed:
        changed = False
        for name, params, start, end in functions:
            for index, param in enumerate(params):
                if not param or (name, index) in wrappers:
                    continue
                for use in re.finditer(r"\b%s\b" % re.escape(param), code[start:end]):
                    callee, _ = enclosing_call(code, start + use.start())
                    kind = kinds.get(callee) or next(
                        (k for (f, _i), k in wrappers.items() if f == callee), None)
                    if kind is not None:
                        wrappers[(name, index)] = kind
                        changed = True
                        break
    return wrappers


def c_labels(path, relpath, template_scope, ids, scopes_by_name):
    """Adds the mnemonic literals of one C file to their scopes."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    code = blank_comments_and_strings(source)
    functions = c_functions(code)
    wrappers = mnemonic_wrappers(code, functions)
    for match in C_LITERAL.finditer(source):
        if code[match.start()] != source[match.start()] or code[match.start()] == " ":
            continue  # inside a comment or a string
        if match.group(1) == "C_":
            if match.group(3) is None:
                continue
            context, text = c_string(match.group(2)), c_string(match.group(3))
        else:
            if match.group(3) is not None:
                continue
            context, text = None, c_string(match.group(2))
        if access_key(text) is None:
            continue
        callee, index = enclosing_call(code, match.start())
        kind = ("widget" if callee in MNEMONIC_CALLS else "dialog" if callee in DIALOG_CALLS
                else "menu" if callee in MENU_CALLS else wrappers.get((callee, index)))
        if kind is None:
            continue  # not a label (a message that mentions a column_name, a file chooser)
        line = source.count("\n", 0, match.start()) + 1
        function = next((name for name, _p, start, end in functions if start <= match.start() <= end), "?")
        statement_start = max(code.rfind(c, 0, match.start()) for c in ";{}") + 1
        statement = code[statement_start:code.find(";", match.end())]
        widget = next((m.group(1) for m in re.finditer(r"self->(\w+)", statement) if m.group(1) in ids), None)
        if kind == "widget" and template_scope is not None:
            scope = template_scope
            slot = (template_scope.path, widget) if widget else (relpath, "line %d" % line)
        else:
            name = "%s()" % function + {"dialog": " message dialog", "menu": " menu"}.get(kind, "")
            scope = scopes_by_name.setdefault((relpath, name), Scope(name, relpath))
            slot = (relpath, "line %d" % line)
        scope.labels.append(Label(text, context, True, slot, "%s:%d" % (relpath, line)))


# ---- the check -----------------------------------------------------------------------

def collect(srcdir):
    ui_files = []
    for name in sorted(os.listdir(os.path.join(srcdir, "ui"))):
        if name.endswith(".ui"):
            ui_files.append(UiFile(os.path.join(srcdir, "ui", name), "ui/" + name))

    c_scopes = {}
    gui = os.path.join(srcdir, "src", "gui")
    templates = {os.path.splitext(os.path.basename(u.relpath))[0]: u for u in ui_files}
    for name in sorted(os.listdir(gui)):
        if not name.endswith(".c"):
            continue
        ui = templates.get(os.path.splitext(name)[0])
        template_scope = ui.scopes[[s.name for s in ui.scopes].index(ui.template_class)] \
            if ui is not None and ui.template_class else None
        c_labels(os.path.join(gui, name), "src/gui/" + name, template_scope,
                 ui.ids if ui is not None else set(), c_scopes)

    # Templates that are not windows join the scope of every window that holds them.
    embeddable = {}
    for u in ui_files:
        if u.template_class and not is_window_class(u.template_parent or ""):
            embeddable[u.template_class] = next(s for s in u.scopes if s.name == u.template_class)

    def gather(scope, seen):
        labels = list(scope.labels)
        for cls in sorted(scope.classes):
            inner = embeddable.get(cls)
            if inner is not None and inner is not scope and cls not in seen:
                labels.extend(gather(inner, seen | {cls}))
        return labels

    embedded = {cls for u in ui_files for s in u.scopes for cls in s.classes
                if cls in embeddable and embeddable[cls] is not s}
    checked = []
    for u in ui_files:
        for s in u.scopes:
            if s.name in embedded and u.template_class == s.name:
                continue
            checked.append((s.path, s.name, gather(s, {s.name})))
    for (path, name), s in sorted(c_scopes.items()):
        checked.append((path, name, s.labels))
    return checked


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--srcdir", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="the source tree (default: the one this script is in)")
    parser.add_argument("--lang", action="append",
                        help="check only this language (repeatable; 'en' is English)")
    args = parser.parse_args()

    try:
        with open(os.path.join(args.srcdir, "po", "LINGUAS"), encoding="utf-8") as f:
            linguas = [w for line in f for w in line.split("#")[0].split()]
        languages = args.lang or ["en"] + linguas
        catalogues = {lang: None if lang == "en" else parse_po(os.path.join(args.srcdir, "po", lang + ".po"))
                      for lang in languages}
        scopes = collect(args.srcdir)
    except (OSError, ValueError, SyntaxError, ET.ParseError) as e:
        print("check-mnemonics: %s" % e, file=sys.stderr)
        return 2

    problems = 0
    n_labels = 0
    for path, name, labels in scopes:
        n_labels += len(labels)
        for lang in languages:
            by_key = {}
            for label in labels:
                text = label.translated(catalogues[lang])
                key = access_key(text)
                if key is None:
                    print("%s: %s [%s]: %r has no access key in %r (%s)"
                          % (path, name, lang, text, label.text, label.where))
                    problems += 1
                    continue
                by_key.setdefault(key, {}).setdefault(label.slot, []).append((text, label))
            for key, slots in sorted(by_key.items()):
                if len(slots) < 2:
                    continue
                problems += 1
                shown = ", ".join("%r (%s)" % (texts[0][0], texts[0][1].where)
                                  for texts in slots.values())
                print("%s: %s [%s]: access key '%s' shared by %s" % (path, name, lang, key, shown))
    if problems:
        print("check-mnemonics: %d problem(s) in %d scopes, languages %s"
              % (problems, len(scopes), " ".join(languages)))
        return 1
    print("check-mnemonics: %d labels in %d scopes, no shared access key (%s)"
          % (n_labels, len(scopes), " ".join(languages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
