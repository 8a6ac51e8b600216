/* mod_order.c — the class of a module load (see mod_order.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mod_order.h"
#include "sysfs.h"

static int pci_bus(unsigned long pci_class)
{
	unsigned long base = pci_class >> 16 & 0xff, sub = pci_class >> 8 & 0xff;

	return base == 0x01 ||				/* mass storage: SATA, NVMe, SCSI */
	       (base == 0x0c && sub == 0x03) ||	/* USB host */
	       (base == 0x08 && sub == 0x05) ||	/* SD host */
	       (base == 0x04 && sub == 0x03);		/* HD audio: codecs */
}

/* "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X": the hex digits are upper
 * case, so the first "bc" is the base class field. */
static int pci_alias_bus(const char *alias)
{
	const char *bc = strstr(alias, "bc");
	char hex[5];

	if (!bc || strlen(bc) < 8 || strncmp(bc + 4, "sc", 2))
		return 0;
	memcpy(hex, bc + 2, 2);
	memcpy(hex + 2, bc + 6, 2);
	hex[4] = 0;
	if (strspn(hex, "0123456789ABCDEF") != 4)
		return 0;
	return pci_bus(strtoul(hex, NULL, 16) << 8);
}

int mod_order_first(int dir, const char *bus, const char *name)
{
	char path[NAME_MAX + 8], cls[32];

	if (!strcmp(bus, "serio"))
		return 1;
	if (strcmp(bus, "pci"))
		return 0;
	snprintf(path, sizeof path, "%s/class", name);
	return sysfs_read_attr(dir, path, cls, sizeof cls) > 0 && pci_bus(strtoul(cls, NULL, 16));
}

enum mod_order mod_order(const char *alias, int synthetic)
{
	if (!strncmp(alias, "cpu:", 4))
		return MOD_ORDER_CPU;
	if ((!strncmp(alias, "pci:", 4) && pci_alias_bus(alias)) || !strncmp(alias, "serio:", 6))
		return MOD_ORDER_BUS;
	return synthetic ? MOD_ORDER_COLD : MOD_ORDER_NEW;
}
