/* strata-exclusions-dialog.c: an AdwMessageDialog with the list of excluded rows. */
#include "strata-exclusions-dialog.h"

#include <glib/gi18n.h>

#include "strata-issue-list.h"
#include "strata-result-text.h"
#include "strata-table.h"

struct _StrataExclusionsDialog
{
  AdwMessageDialog parent_instance;

  StrataResult *result;
};

G_DEFINE_FINAL_TYPE (StrataExclusionsDialog, strata_exclusions_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
strata_exclusions_dialog_finalize (GObject *object)
{
  StrataExclusionsDialog *self = STRATA_EXCLUSIONS_DIALOG (object);

  g_clear_pointer (&self->result, strata_result_unref);

  G_OBJECT_CLASS (strata_exclusions_dialog_parent_class)->finalize (object);
}

static void
response_cb (StrataExclusionsDialog *self, const char *response)
{
  if (g_strcmp0 (response, "copy") == 0 && self->result != NULL)
    {
      g_autofree char *text = strata_exclusions_dialog_format (self->result);
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
    }
}

static void
strata_exclusions_dialog_class_init (StrataExclusionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = strata_exclusions_dialog_finalize;
}

static void
strata_exclusions_dialog_init (StrataExclusionsDialog *self)
{
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "copy", _("Copy _List"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "close");
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
}

GtkWidget *
strata_exclusions_dialog_new (GtkWindow *parent, StrataResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  StrataExclusionsDialog *self = g_object_new (STRATA_TYPE_EXCLUSIONS_DIALOG,
                                               "transient-for", parent,
                                               "modal", TRUE,
                                               "heading", _("Excluded Rows"),
                                               NULL);
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  GtkWidget *scrolled;

  self->result = strata_result_ref (result);
  for (guint i = 0; i < result->excluded->len; i++)
    {
      g_autofree char *markup = strata_result_text_issue_markup (g_ptr_array_index (result->excluded, i));
      gtk_string_list_append (list, markup);
    }
  if (result->excluded->len == 0)
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                    ngettext ("The %u row of %s is in the analysis.",
                                              "Every one of the %u rows of %s is in the analysis.",
                                              result->rows),
                                    result->rows, result->file);
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                    ngettext ("%u of the %u rows of %s is left out of the survival "
                                              "analysis. The file itself is not changed.",
                                              "%u of the %u rows of %s are left out of the survival "
                                              "analysis. The file itself is not changed.",
                                              result->excluded->len),
                                    result->excluded->len, result->rows, result->file);

  scrolled = strata_issue_list_new (G_LIST_MODEL (list), _("Excluded rows"), 320);
  gtk_widget_set_visible (scrolled, result->excluded->len > 0);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), scrolled);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "copy",
                                           result->excluded->len > 0);
  return GTK_WIDGET (self);
}

char *
strata_exclusions_dialog_format (const StrataResult *result)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < result->excluded->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (result->excluded, i);
      g_autofree char *reason = strata_result_text_reason (issue->reason);
      if (issue->column != NULL)
        g_string_append_printf (text, _("%s: line %u, %s: %s\n"), result->file, issue->line,
                                issue->column, reason);
      else
        g_string_append_printf (text, _("%s: line %u: %s\n"), result->file, issue->line, reason);
    }
  return g_string_free (text, FALSE);
}
