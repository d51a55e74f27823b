/* strata-cohort-loader.c: the import worker. The file is read in chunks (progress by
 * bytes, a cancellation check per chunk), then parsed from memory. */
#include "strata-cohort-loader.h"

#include <string.h>

#define CHUNK_SIZE (1 << 20)

struct _StrataCohortLoader
{
  GObject parent_instance;

  double fraction;
  char *next_sheet;       /* for the next load_async() only */
  guint next_header_row;
};

G_DEFINE_FINAL_TYPE (StrataCohortLoader, strata_cohort_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  GFile *file;
  char *sheet;        /* NULL: the first with data */
  guint header_row;   /* 0: the first row with a value */
} LoadData;

/* What a load returns. */
typedef struct {
  StrataCohort *cohort;
  char *sha256;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->cohort, strata_cohort_unref);
  g_free (result->sha256);
  g_free (result);
}

typedef struct {
  StrataCohortLoader *loader;
  double fraction;
} Progress;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_free (data->sheet);
  g_free (data);
}

static void
strata_cohort_loader_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  StrataCohortLoader *self = STRATA_COHORT_LOADER (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
strata_cohort_loader_finalize (GObject *object)
{
  g_free (STRATA_COHORT_LOADER (object)->next_sheet);
  G_OBJECT_CLASS (strata_cohort_loader_parent_class)->finalize (object);
}

static void
strata_cohort_loader_class_init (StrataCohortLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = strata_cohort_loader_get_property;
  object_class->finalize = strata_cohort_loader_finalize;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
strata_cohort_loader_init (StrataCohortLoader *self)
{
}

static void
set_fraction (StrataCohortLoader *self, double fraction)
{
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static gboolean
progress_cb (gpointer user_data)
{
  Progress *progress = user_data;

  set_fraction (progress->loader, progress->fraction);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer user_data)
{
  Progress *progress = user_data;

  g_object_unref (progress->loader);
  g_free (progress);
}

/* From the worker: hands FRACTION to the loader's thread. */
static void
post_progress (GTask *task, double fraction)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->loader = g_object_ref (g_task_get_source_object (task));
  progress->fraction = fraction;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, progress_cb,
                              progress, progress_free);
}

static GBytes *
read_all (GTask *task, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInputStream) stream = g_file_read (file, cancellable, error);
  g_autoptr (GByteArray) bytes = NULL;
  goffset size = 0;
  int last_percent = -1;

  if (stream == NULL)
    return NULL;
  g_autoptr (GFileInfo) info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                               cancellable, NULL);
  if (info != NULL)
    size = g_file_info_get_size (info);
  bytes = g_byte_array_sized_new (size > 0 && size < G_MAXUINT ? (guint) size : 0);

  for (;;)
    {
      guint8 buffer[64 * 1024];
      gsize chunk = 0;

      while (chunk < CHUNK_SIZE)
        {
          gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer,
                                          cancellable, error);
          if (n < 0)
            return NULL;
          if (n == 0)
            break;
          g_byte_array_append (bytes, buffer, (guint) n);
          chunk += (gsize) n;
        }
      if (chunk == 0)
        break;
      if (size > 0)
        {
          int percent = (int) (100.0 * bytes->len / size);
          if (percent != last_percent)
            post_progress (task, MIN (percent, 100) / 100.0);
          last_percent = percent;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static char *
display_name (GFile *file, GCancellable *cancellable)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                  G_FILE_QUERY_INFO_NONE, cancellable, NULL);

  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

/* TRUE when TEXT is not a delimited text file: a zip (a workbook), an SPSS or Stata
 * header, a SAS transport header, or NUL bytes early on (SAS data sets, old Stata files,
 * OLE2 workbooks). Those are read from their path, which tells the formats apart. */
static gboolean
is_binary_format (const char *text, gsize length)
{
  static const char *const magic[] = { "PK\x03\x04", "$FL2", "$FL3", "<stata_dta>",
                                       "HEADER RECORD" };

  for (guint i = 0; i < G_N_ELEMENTS (magic); i++)
    if (length >= strlen (magic[i]) && memcmp (text, magic[i], strlen (magic[i])) == 0)
      return TRUE;
  return memchr (text, '\0', MIN (length, 4096)) != NULL;
}

static void
load_in_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  g_autofree char *name = display_name (data->file, cancellable);
  g_autoptr (GBytes) bytes = read_all (task, data->file, cancellable, &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  post_progress (task, -1.0);

  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);
  /* The checksum of the very bytes analysed, for .strata files. */
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *path = g_file_get_path (data->file);
  gboolean by_path = path != NULL && (data->sheet != NULL || data->header_row > 0 ||
                                      is_binary_format (text ? text : "", length));
  g_autoptr (StrataTable) table =
    by_path ? strata_table_load_file_options (path, data->sheet, data->header_row, &error)
            : strata_table_load_data (name, text ? text : "", length, &error);
  if (table == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Sort the default endpoint here rather than in the first analysis. */
  LoadResult *load = g_new0 (LoadResult, 1);
  load->cohort = strata_cohort_new (table);
  load->sha256 = g_steal_pointer (&sha256);
  strata_cohort_get_endpoint (load->cohort, NULL, NULL, NULL, NULL);
  g_task_return_pointer (task, load, (GDestroyNotify) load_result_free);
}

StrataCohortLoader *
strata_cohort_loader_new (void)
{
  return g_object_new (STRATA_TYPE_COHORT_LOADER, NULL);
}

void
strata_cohort_loader_load_async (StrataCohortLoader *self, GFile *file, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *sheet = g_steal_pointer (&self->next_sheet);
  guint header_row = self->next_header_row;

  self->next_header_row = 0;
  strata_cohort_loader_load_sheet_async (self, file, sheet, header_row, cancellable, callback,
                                         user_data);
}

void
strata_cohort_loader_set_next_sheet (StrataCohortLoader *self, const char *sheet, guint header_row)
{
  g_return_if_fail (STRATA_IS_COHORT_LOADER (self));

  g_free (self->next_sheet);
  self->next_sheet = g_strdup (sheet);
  self->next_header_row = header_row;
}

void
strata_cohort_loader_load_sheet_async (StrataCohortLoader *self, GFile *file, const char *sheet,
                                       guint header_row, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (STRATA_IS_COHORT_LOADER (self));
  g_return_if_fail (G_IS_FILE (file));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->file = g_object_ref (file);
  data->sheet = g_strdup (sheet);
  data->header_row = header_row;
  set_fraction (self, 0.0);
  g_task_set_source_tag (task, strata_cohort_loader_load_sheet_async);
  g_task_set_name (task, "strata-import");
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  /* Cancel returns at once; the worker notices at its next check and its result is
   * dropped. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_in_thread);
}

StrataCohort *
strata_cohort_loader_load_finish (StrataCohortLoader *self, GAsyncResult *result, char **sha256,
                                  GError **error)
{
  g_return_val_if_fail (STRATA_IS_COHORT_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  LoadResult *load = g_task_propagate_pointer (G_TASK (result), error);
  StrataCohort *cohort;

  if (load == NULL)
    return NULL;
  cohort = g_steal_pointer (&load->cohort);
  if (sha256 != NULL)
    *sha256 = g_steal_pointer (&load->sha256);
  load_result_free (load);
  return cohort;
}

double
strata_cohort_loader_get_fraction (StrataCohortLoader *self)
{
  g_return_val_if_fail (STRATA_IS_COHORT_LOADER (self), 0.0);

  return self->fraction;
}
