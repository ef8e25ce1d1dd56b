import fc from 'fast-check';
import { escapeHtml, NOTIFICATION_TEMPLATES, renderMessage } from './messages';

describe('renderMessage', () => {
  const data = {
    recipient_name: 'Ana',
    title: 'Security awareness 2024',
    kind: 'training_assignment',
    due_at: '2024-06-30T17:00:00Z',
    url: 'https://vigil.example.com/trainings/1',
  };

  it('writes a reminder in plain English', () => {
    const m = renderMessage('obligation.reminder', data);
    expect(m.subject).toBe('Reminder: Security awareness 2024 is due 30 Jun 2024');
    expect(m.text).toContain('Hi Ana,');
    expect(m.text).toContain('Your training "Security awareness 2024" is due on Sun 30 Jun 2024, 17:00 UTC.');
    expect(m.text).toContain('https://vigil.example.com/trainings/1');
    expect(m.html).toContain('<a href="https://vigil.example.com/trainings/1">');
  });

  it('formats dates in the given time zone', () => {
    const m = renderMessage('obligation.reminder', { ...data, timezone: 'America/New_York' });
    expect(m.text).toContain('Sun 30 Jun 2024, 13:00 EDT');
  });

  it('writes overdue, escalation and expiring messages', () => {
    expect(renderMessage('obligation.overdue', { ...data, days_overdue: 3 }).text).toContain(
      'was due on Sun 30 Jun 2024, 17:00 UTC and is now overdue by 3 days.',
    );
    const esc = renderMessage('obligation.escalation', {
      ...data,
      recipient_name: 'Bo',
      owner_name: 'Ana',
      level: 'L2',
    });
    expect(esc.subject).toBe("Escalation L2: Ana's Security awareness 2024 is overdue");
    expect(esc.text).toContain('It has been escalated to you as manager (level L2).');
    const exp = renderMessage('obligation.expiring', {
      ...data,
      kind: 'member_certification',
      title: 'CISSP',
      expires_at: '2024-07-15T00:00:00Z',
    });
    expect(exp.subject).toBe('Expiring soon: CISSP');
    expect(exp.text).toContain('Your certification "CISSP" expires on Mon 15 Jul 2024, 00:00 UTC.');
  });

  it('lists digest items', () => {
    const items = [
      { title: 'Policy A', due_at: '2024-06-01T00:00:00Z', status: 'OVERDUE', owner_name: 'Ana' },
      { title: 'Training B', due_at: '2024-07-01T00:00:00Z', status: 'PENDING', owner_name: 'Bo' },
    ];
    const member = renderMessage('digest.member', { recipient_name: 'Ana', items });
    expect(member.subject).toBe('Your compliance items: 2 open, 1 overdue');
    expect(member.text).toContain('- Policy A (due Sat 1 Jun 2024, overdue)');
    expect(member.html).toContain('<ul><li>Policy A (due Sat 1 Jun 2024, overdue)</li>');
    const manager = renderMessage('digest.manager', { recipient_name: 'Cy', items });
    expect(manager.subject).toBe("Your team's compliance: 2 open, 1 overdue");
    expect(manager.text).toContain('- Bo: Training B (due Mon 1 Jul 2024)');
    expect(renderMessage('digest.member', { items: [] }).text).toContain('no open compliance items');
  });

  it('renders every template with no data at all', () => {
    for (const t of NOTIFICATION_TEMPLATES) {
      const m = renderMessage(t, {});
      expect(m.subject.length).toBeGreaterThan(0);
      expect(m.text).toContain('Hello,');
    }
  });

  it('rejects an unknown template', () => {
    expect(() => renderMessage('nope', {})).toThrow('Unknown notification template nope');
  });

  it('escapes every value in HTML and keeps subjects on one line', () => {
    const evil = '<script>alert("x")</script> & \'co\'';
    const m = renderMessage('obligation.escalation', {
      title: `${evil}\nBcc: x@example.com`,
      owner_name: evil,
      recipient_name: evil,
      url: 'javascript:alert(1)',
    });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain(escapeHtml('<script>alert("x")</script>'));
    expect(m.html).not.toContain('javascript:');
    expect(m.subject).not.toMatch(/[\r\n]/);
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...NOTIFICATION_TEMPLATES), (s, t) => {
        const html = renderMessage(t, {
          title: s,
          recipient_name: s,
          owner_name: s,
          items: [{ title: s }],
        }).html;
        const stripped = html.replace(/<\/?(p|ul|li|br|a)( href="[^"]*")?>/g, '');
        expect(stripped).not.toMatch(/[<>]/);
      }),
    );
  });
});
