import { Tag } from 'antd';
import { ReactNode } from 'react';

/** antd's light tag colours fall below 4.5:1; these solid ones pass WCAG AA with white text. */
const COLOURS = {
  ok: '#237804',
  bad: '#a8071a',
  warn: '#874d00',
  info: '#0b57d0',
  neutral: '#595959',
} as const;

export function StatusTag({
  tone,
  children,
  testId,
}: {
  tone: keyof typeof COLOURS;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Tag color={COLOURS[tone]} data-testid={testId}>
      {children}
    </Tag>
  );
}
