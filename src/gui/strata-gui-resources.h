/* strata-gui-resources.h: the compiled GResource of the UI (templates, menus, CSS). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the UI resources once; every class that loads a template calls it first
 * (the resources live in a static library, so no constructor can be relied on). */
void strata_gui_ensure_resources (void);

G_END_DECLS
