/* strata-gui-resources.c: registration of the UI resources. */
#include "strata-gui-resources.h"

#include "strata-resources.h"

void
strata_gui_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      strata_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}
