/* gui-test-util.h: the helpers the GUI tests (test-window.c, test-patient-view.c,
 * test-accessibility.c, test-export-settings.c, test-translation.c,
 * test-import-assistant.c) and tests/screenshots/take-screenshots.c share: running the
 * main loop until the window is idle or has drawn, opening the window on the demo
 * cohort, checking that a window is finalized, searching widget trees, drawing a widget
 * to a texture, starting the application in main(), and strata-report's JSON.
 *
 * Header-only (static inline): each test is one executable built from one .c file, and
 * take-screenshots.sh builds with plain cc (-I tests). Every wait is bounded by
 * GUI_TEST_WAIT_SECONDS and fails the test (aborts the program) when it runs out. */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli-test-util.h"
#include "strata-application.h"
#include "strata-import-assistant.h"
#include "strata-window.h"

/* How long any wait below may take before the test fails. */
#define GUI_TEST_WAIT_SECONDS 60

/* The most pending events gui_test_drain() dispatches. */
#define GUI_TEST_DRAIN_MAX 200

/* ---- the main loop ------------------------------------------------------------------- */

/* A GSourceFunc that sets the gboolean at USER_DATA and runs once. */
static inline gboolean
gui_test_set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Dispatches what is pending in the default main context, without blocking, at most
 * GUI_TEST_DRAIN_MAX events (a busy source cannot keep it going for ever). */
static inline void
gui_test_drain (void)
{
  for (guint i = 0; i < GUI_TEST_DRAIN_MAX && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop while *BUSY_FN (OBJECT) holds, at most GUI_TEST_WAIT_SECONDS (then
 * the test fails, naming WHAT), and drains what the end of the work queued. */
static inline void
gui_test_wait_while (gboolean (*busy_fn) (gpointer object), gpointer object, const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (GUI_TEST_WAIT_SECONDS, gui_test_set_flag_cb, &timed_out);

  while (busy_fn (object) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_printerr ("%s stayed busy for %d s\n", what, GUI_TEST_WAIT_SECONDS);
  g_assert_false (timed_out);
  g_source_remove (id);
  gui_test_drain ();
}

static inline gboolean
gui_test_window_busy (gpointer window)
{
  return strata_window_get_busy (STRATA_WINDOW (window));
}

/* Runs the main loop until WINDOW has no import or analysis running. */
static inline void
gui_test_wait_until_idle (StrataWindow *window)
{
  gui_test_wait_while (gui_test_window_busy, window, "the window");
}

/* Runs the main loop for MS milliseconds (animations, a button activated from the
 * keyboard showing itself pressed before it clicks), then drains. */
static inline void
gui_test_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, gui_test_set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  gui_test_drain ();
}

/* Frames still to come, counted down by gui_test_tick_cb(). */
static inline gboolean
gui_test_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  guint *left = user_data;

  (*left)--;
  return *left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Runs the main loop until WIDGET has been through N_FRAMES frames (two: laid out and
 * drawn; the screenshots take three), then drains. */
static inline void
gui_test_wait_for_frames (GtkWidget *widget, guint n_frames)
{
  guint left = n_frames;
  gboolean timed_out = FALSE;
  guint id;

  g_assert_cmpuint (n_frames, >, 0);
  id = g_timeout_add_seconds (GUI_TEST_WAIT_SECONDS, gui_test_set_flag_cb, &timed_out);
  gtk_widget_queue_draw (widget);
  gtk_widget_add_tick_callback (widget, gui_test_tick_cb, &left, NULL);
  while (left > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_printerr ("no frame of %s for %d s\n", G_OBJECT_TYPE_NAME (widget), GUI_TEST_WAIT_SECONDS);
  g_assert_false (timed_out);
  g_source_remove (id);
  gui_test_drain ();
}

/* ---- windows ------------------------------------------------------------------------- */

/* A new 1200 × 800 window of APPLICATION on the demo cohort, its first analysis done
 * and drawn. GTK owns the window; the reference returned is the test's own, for
 * gui_test_close_window()'s leak check. */
static inline StrataWindow *
gui_test_open_demo_window (StrataApplication *application)
{
  StrataWindow *window = g_object_ref (strata_window_new (GTK_APPLICATION (application)));

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  strata_window_open_demo (window);
  gui_test_wait_until_idle (window);
  gui_test_wait_for_frames (GTK_WIDGET (window), 2);
  return window;
}

/* Drops the test's reference to OBJECT and requires it to be finalized: at once, or
 * once the main loop has run the teardown still queued (workers finishing, pending
 * idles), within GUI_TEST_WAIT_SECONDS. A reference kept beyond that is a leak. */
static inline void
gui_test_assert_finalized (gpointer object)
{
  gpointer weak = object;
  gboolean timed_out = FALSE;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  if (weak != NULL)
    {
      guint id = g_timeout_add_seconds (GUI_TEST_WAIT_SECONDS, gui_test_set_flag_cb, &timed_out);
      while (weak != NULL && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      if (!timed_out)
        g_source_remove (id);
    }
  g_assert_null (weak);
}

/* Closes WINDOW (opened by gui_test_open_demo_window()), lets its work end, and
 * requires it to be finalized. */
static inline void
gui_test_close_window (StrataWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_wait_until_idle (window);
  gui_test_assert_finalized (window);
}

/* The open toplevel of TYPE (GTK keeps a reference to each), or NULL. */
static inline GtkWindow *
gui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

/* Waits for the import of a new file into WINDOW, checks that the import assistant asks
 * for the roles (open, with no problem to show), presses Analyse and waits for the
 * analysis: the assistant is gone. */
static inline void
gui_test_confirm_assistant (StrataWindow *window)
{
  StrataImportAssistant *assistant;

  gui_test_wait_until_idle (window);
  assistant = strata_window_get_import_assistant (window);
  g_assert_nonnull (assistant);
  g_assert_true (gui_test_find_toplevel (STRATA_TYPE_IMPORT_ASSISTANT) == GTK_WINDOW (assistant));
  g_assert_null (strata_import_assistant_get_problem (assistant));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.apply", NULL));
  g_assert_null (strata_window_get_import_assistant (window));
  g_assert_null (gui_test_find_toplevel (STRATA_TYPE_IMPORT_ASSISTANT));
  gui_test_wait_until_idle (window);
}

/* Opens FILE in WINDOW and confirms the import assistant (gui_test_confirm_assistant). */
static inline void
gui_test_open_and_confirm (StrataWindow *window, GFile *file)
{
  strata_window_open_file (window, file);
  gui_test_confirm_assistant (window);
}

/* A new import assistant (no parent window; GTK owns it) on FILE, read as a new import
 * is: the table loaded, the roles guessed. WIDTH × HEIGHT, when positive, is its
 * default size. Shown, with what showing it queued drained. */
static inline StrataImportAssistant *
gui_test_new_assistant (GFile *file, int width, int height)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataColumnRoles) roles = strata_column_roles_guess (table);
  g_autofree char *name = g_file_get_basename (file);
  StrataImportAssistant *assistant = strata_import_assistant_new (NULL, cohort, name, roles);

  strata_import_assistant_set_file (assistant, file);
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (assistant), width, height);
  gtk_window_present (GTK_WINDOW (assistant));
  gui_test_drain ();
  return assistant;
}

/* ---- widget trees -------------------------------------------------------------------- */

/* Whether WIDGET is the one looked for; DATA as given to gui_test_find_widget(). */
typedef gboolean (*GuiTestWidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget of ROOT's tree (ROOT itself, then depth first) that MATCH accepts,
 * or NULL. */
static inline GtkWidget *
gui_test_find_widget (GtkWidget *root, GuiTestWidgetMatch match, gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gui_test_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static inline gboolean
gui_test_is_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* The first widget of TYPE in ROOT's tree, or NULL. */
static inline GtkWidget *
gui_test_find_by_type (GtkWidget *root, GType type)
{
  return gui_test_find_widget (root, gui_test_is_type, GSIZE_TO_POINTER (type));
}

static inline gboolean
gui_test_has_id (GtkWidget *widget, gconstpointer id)
{
  const char *own = GTK_IS_BUILDABLE (widget) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) : NULL;

  return g_strcmp0 (own, id) == 0;
}

/* The widget of ROOT's tree whose builder id is ID, or NULL. */
static inline GtkWidget *
gui_test_find_by_id (GtkWidget *root, const char *id)
{
  return gui_test_find_widget (root, gui_test_has_id, id);
}

static inline gboolean
gui_test_is_group_titled (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_PREFERENCES_GROUP (widget) &&
         g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0;
}

/* The AdwPreferencesGroup titled TITLE in ROOT's tree, or NULL. */
static inline GtkWidget *
gui_test_find_group (GtkWidget *root, const char *title)
{
  return gui_test_find_widget (root, gui_test_is_group_titled, title);
}

/* ---- pixels -------------------------------------------------------------------------- */

/* WIDGET (shown, with a size) drawn as it is now by its own renderer:
 * gtk_widget_paintable_new → GtkSnapshot → gsk_renderer_render_texture. */
static inline GdkTexture *
gui_test_render_texture (GtkWidget *widget)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Writes WIDGET as drawn now to the PNG file PATH; returns the texture written. */
static inline GdkTexture *
gui_test_save_png (GtkWidget *widget, const char *path)
{
  GdkTexture *texture = gui_test_render_texture (widget);
  gboolean saved = gdk_texture_save_to_png (texture, path);

  if (!saved)
    g_printerr ("could not write %s\n", path);
  g_assert_true (saved);
  return texture;
}

/* ---- main() -------------------------------------------------------------------------- */

/* A GTest that fails: without a display none of the window can be checked, which is a
 * failure of the test set-up (meson runs the GUI tests under xvfb-run), not something
 * to pass over. */
static inline void
gui_test_no_display (void)
{
  g_test_fail_printf ("no display: run this test under xvfb-run (package xvfb)");
}

/* Starts GTK and returns Strata's application, registered (not run), or NULL when there
 * is no display: then NO_DISPLAY_PATH, when not NULL, is added as a test that fails
 * (gui_test_no_display). Call after g_test_init(); the caller unrefs the application. */
static inline StrataApplication *
gui_test_application_new (const char *no_display_path)
{
  g_autoptr (GError) error = NULL;
  StrataApplication *application;

  if (!gtk_init_check ())
    {
      if (no_display_path != NULL)
        g_test_add_func (no_display_path, gui_test_no_display);
      return NULL;
    }
  application = strata_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  return application;
}

/* ---- files --------------------------------------------------------------------------- */

/* Removes the directory DIR that a test made, with the files in it (no subdirectories);
 * every removal must succeed. */
static inline void
gui_test_remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- strata-report ------------------------------------------------------------------- */

/* strata-report --json=- ARGS (NULL-terminated), which must succeed, parsed by PARSER:
 * the root object, owned by PARSER. */
static inline JsonObject *
gui_test_report_json (JsonParser *parser, const char *const *args)
{
  g_autofree char *out = run_report_json (args);
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}
