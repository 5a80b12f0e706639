import { describe, expect, it } from 'vitest';
import { filtersOverlap, isValidTopicFilter, isValidTopicName, topicMatches } from '../../../../server/src/bus/topic-bus/topic-filter.ts';
import { coerceTopicList } from '../../../../server/src/bus/topic-bus/topic-list.ts';

describe('topic filters', () => {
  it('validates wildcard placement', () => {
    expect(isValidTopicFilter('sensors/+/temp')).toBe(true);
    expect(isValidTopicFilter('sensors/#')).toBe(true);
    expect(isValidTopicFilter('sensors/#/temp')).toBe(false);
    expect(isValidTopicFilter('sensors/te+mp')).toBe(false);
    expect(isValidTopicFilter('')).toBe(false);
    expect(isValidTopicName('sensors/+/temp')).toBe(false);
    expect(isValidTopicName('sensors/kitchen/temp')).toBe(true);
  });

  it('matches topics as MQTT does', () => {
    expect(topicMatches('sensors/+/temp', 'sensors/kitchen/temp')).toBe(true);
    expect(topicMatches('sensors/+/temp', 'sensors/kitchen/hall/temp')).toBe(false);
    expect(topicMatches('sensors/#', 'sensors')).toBe(true);
    expect(topicMatches('sensors/#', 'sensors/a/b/c')).toBe(true);
    expect(topicMatches('#', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('a/b', 'a/b/c')).toBe(false);
  });

  it('detects overlapping filters on both sides', () => {
    expect(filtersOverlap('sensors/+/temp', 'sensors/kitchen/#')).toBe(true);
    expect(filtersOverlap('sensors/+/temp', 'sensors/kitchen/humidity')).toBe(false);
    expect(filtersOverlap('a/#', 'a')).toBe(true);
    expect(filtersOverlap('a/+', 'a')).toBe(false);
    expect(filtersOverlap('+/b', 'a/+')).toBe(true);
    expect(filtersOverlap('a/b', 'a/b/c')).toBe(false);
    expect(filtersOverlap('#', '$SYS/x')).toBe(false);
  });
});

describe('coerceTopicList', () => {
  it('turns a string into a one-topic list, not one topic per character', () => {
    expect(coerceTopicList('sensors/data').topics).toEqual(['sensors/data']);
  });

  it('splits comma-separated strings, trims and dedupes', () => {
    expect(coerceTopicList(' a/b , c/d,a/b ').topics).toEqual(['a/b', 'c/d']);
  });

  it('drops kwarg names, invalid filters and non-strings, saying why', () => {
    const { topics, dropped } = coerceTopicList(['publishes', 'sensors/data', 'Subscribes', 'a/#/b', 42, '']);
    expect(topics).toEqual(['sensors/data']);
    expect(dropped).toEqual([
      '"publishes" (a field name, not a topic)',
      '"Subscribes" (a field name, not a topic)',
      '"a/#/b" (not a valid MQTT topic filter)',
      '42 (not a string)',
    ]);
  });

  it('treats null and undefined as no topics', () => {
    expect(coerceTopicList(undefined)).toEqual({ topics: [], dropped: [] });
    expect(coerceTopicList(null)).toEqual({ topics: [], dropped: [] });
  });
});
