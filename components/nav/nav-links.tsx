"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import "@/components/zod-jitless";
import type { NavItem } from "./nav-items";

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  // The longest href that holds the page is the current one (/tso/study is not also /tso).
  const matches = (href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));
  const current = items.filter((i) => matches(i.href)).reduce<string | null>((best, i) => (best === null || i.href.length > best.length ? i.href : best), null);
  return (
    <nav className="nav" aria-label="Main">
      {items.map((item) => {
        const active = item.href === current;
        return (
          <Link key={item.href} href={item.href} aria-current={active ? "page" : undefined}>
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
